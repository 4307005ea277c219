// Cold import: a fresh process times `await import(...)` of the given specifiers (file URLs or bare package names).
// Deliberately imports nothing else first, so no module of the measured graph is already loaded.
const t0 = performance.now();
let n = 0;
for (const specifier of process.argv.slice(2)) {
  const mod = await import(specifier);
  n += Object.keys(mod).length;
}
const ms = performance.now() - t0;
process.stdout.write("@@bench-result " + JSON.stringify({ ms, exports: n }) + "\n");
