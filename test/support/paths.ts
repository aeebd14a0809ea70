// Paths the tests share; starting Prism itself is the product's job (src/mock), which the tests use as is.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bundledSpecPath = join(repoRoot, 'generated/openapi.yaml');
