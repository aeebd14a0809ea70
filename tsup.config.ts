import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The package: ESM and CommonJS with bundled declarations. openapi-fetch stays external (the one
// runtime dependency); Prism is loaded from the consumer's node_modules by the mock only.
const library = { index: 'src/index.ts', mock: 'src/mock/index.ts', msw: 'src/mock/msw.ts' };
// The bins are run, never required: ESM only (sharing chunks with the library), no CommonJS copy that nothing uses.
const bins = { cli: 'src/cli/main.ts', 'mock-cli': 'src/mock/serve.ts' };

export default defineConfig({
  entry: { ...library, ...bins },
  format: ['esm', 'cjs'],
  dts: { entry: library },
  // The oldest Node.js the package promises (package.json engines), whatever Node.js builds it.
  target: 'node20.19',
  platform: 'node',
  splitting: true,
  shims: true,
  // The ESM build needs no __dirname shim (the source uses import.meta.url). With it, once a CommonJS module is
  // bundled (Ajv, in the mock), every ESM chunk imports Node's path and url, and a browser bundle of the client breaks.
  // CommonJS: the library only (the bins are ESM).
  esbuildOptions(options, { format }) {
    if (format === 'esm') options.inject = options.inject?.filter((file) => !file.endsWith('esm_shims.js'));
    if (format === 'cjs') options.entryPoints = library;
  },
  // Everything but dist/docs/ (npm run docs), which a build has no business deleting.
  clean: ['!docs/**'],
  sourcemap: false,
  outDir: 'dist',
  onSuccess: async () => {
    copyFileSync('generated/openapi.yaml', 'dist/openapi.yaml');
    copyFileSync('generated/openapi.json', 'dist/openapi.json');
  },
});
