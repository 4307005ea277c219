export * from "./core/index";
export { default } from "./core/index";
