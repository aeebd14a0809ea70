import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The package: ESM and CommonJS with bundled declarations. openapi-fetch stays external (the one
// runtime dependency); Prism is loaded from the consumer's node_modules by the mock only.
const library = { index: 'src/index.ts', mock: 'src/mock/index.ts' };
// The bins are run, never required: ESM only (sharing chunks with the library), no CommonJS copy that nothing uses.
const bins = { cli: 'src/cli/main.ts', 'mock-cli': 'src/mock/serve.ts' };

export default defineConfig({
  entry: { ...library, ...bins },
  format: ['esm', 'cjs'],
  esbuildOptions: (options, { format }) => {
    if (format === 'cjs') options.entryPoints = library;
  },
  dts: { entry: library },
  // The oldest Node.js the package promises (package.json engines), whatever Node.js builds it.
  target: 'node20.19',
  platform: 'node',
  splitting: true,
  shims: true,
  // Everything but dist/docs/ (npm run docs), which a build has no business deleting.
  clean: ['!docs/**'],
  sourcemap: false,
  outDir: 'dist',
  onSuccess: async () => {
    copyFileSync('generated/openapi.yaml', 'dist/openapi.yaml');
    copyFileSync('generated/openapi.json', 'dist/openapi.json');
  },
});
