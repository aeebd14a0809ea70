#!/usr/bin/env node
// Builds the standalone HTML reference from the bundled spec: scripts inlined, no CDN, no web fonts.
// Usage: node scripts/docs.mjs [output.html]   (default dist/docs/index.html)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = resolve(process.argv[2] ?? join(root, 'dist/docs/index.html'));
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@redocly/cli/bin/cli.js'),
    'build-docs',
    join(root, 'generated/openapi.yaml'),
    '--inlineBundle',
    '--output',
    output,
    // redocly.yaml holds the docs' settings too (the order and labels of the request samples).
    '--config',
    join(root, 'redocly.yaml'),
    '--lint-config',
    'off',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
// Redoc 3 shows its logo from a CDN; an empty inline SVG keeps the page from touching the network.
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
const html = readFileSync(output, 'utf8')
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', EMPTY_SVG)
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', EMPTY_SVG);
writeFileSync(output, html);
console.log(`docs: ${output}`);
