// The MSW handlers in a Chromium page under setupWorker (msw 2.x), bundled as a web app would: the behaviour has no
// node: import, and its WebCrypto sign-in checks and spec validation run in the page.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

it.skipIf(!existsSync(CHROMIUM))(
  'answers a page through setupWorker: a sign-in, a list, and the gateway 404, all Huawei-shaped',
  async () => {
    const bundle = await build({
      entryPoints: [join(repoRoot, 'test/support/msw-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const files: Record<string, [string, string | Uint8Array]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', bundle.outputFiles[0]!.contents],
      '/mockServiceWorker.js': [
        'text/javascript',
        readFileSync(join(repoRoot, 'node_modules/msw/lib/mockServiceWorker.js')),
      ],
    };
    const server = createServer((req, res) => {
      const [type, body] = files[req.url ?? '/'] ?? files['/']!;
      res.writeHead(200, { 'Content-Type': type });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('pageerror', (error) => problems.push(String(error)));
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      type Outcome = { __result?: unknown; __error?: unknown };
      await tab.waitForFunction(() => (window as Outcome).__result ?? (window as Outcome).__error, undefined, {
        timeout: 30_000,
      });
      const outcome = await tab.evaluate(() => ({
        result: (window as Outcome).__result,
        error: (window as Outcome).__error,
      }));
      expect(outcome.error, String(outcome.error)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(outcome.result).toMatchObject({
        count: 25,
        size: 5,
        unknown: { status: 404, error_code: 'APIG.0101' },
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    } finally {
      await browser.close();
      server.close();
    }
  },
  60_000,
);
