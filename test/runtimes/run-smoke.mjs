// Runs smoke.mjs in Node.js, Bun or Deno: the configuration as JSON in the first argument, the result as JSON
// on standard output.
import { smoke } from './smoke.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const result = await smoke(JSON.parse(args[0]));
console.log(
  JSON.stringify({
    runtime: globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : `node ${process.versions.node}`,
    ...result,
  }),
);
