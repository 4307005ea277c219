// The core's one runtime module (dist/internal.js, dist/internal.cjs): its public API plus what the package's other
// entries need from it. Not in package.json "exports" and not in the public types: only the package's own files load it.
export * from "./index";
export { default } from "./index";
export { core } from "./api";
export { expectSpan, getOptions, trackFor, warn } from "./sdk";
export { nowMs } from "./clock";
export { runInContext } from "./context";
export { parentOf, tokenAttributes } from "./span";
export { platformContext } from "./runtime";
