import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The package: ESM and CommonJS with bundled declarations. openapi-fetch stays external (the one
// runtime dependency); Prism is loaded from the consumer's node_modules by the mock only.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    mock: 'src/mock/index.ts',
    msw: 'src/mock/msw.ts',
    cli: 'src/cli/main.ts',
    'mock-cli': 'src/mock/serve.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', mock: 'src/mock/index.ts', msw: 'src/mock/msw.ts' } },
  target: 'node20',
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
