// Fails loudly when npm scripts would run on Node < 22 (the `node` devDependency's install script did not run).
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `@fallom/trace dev tooling needs Node >= 22 but this is ${process.version}.\n` +
      "The repo pins Node 22 as a devDependency: run `npm install` (without --ignore-scripts) and use npm scripts (`npm test`).",
  );
  process.exit(1);
}
