// The README's first example, run as a newcomer runs it: the block under "Try it" saved to a file and executed, with
// no account and no server of their own (it starts the embedded mock itself). Here the package's name resolves to the
// source (vitest.config.ts), as it does for examples/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { readmeBlocks } from './markdown.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tryIt = readme.indexOf('## Try it');
const tryItLine = readme.slice(0, tryIt).split('\n').length;
const example = readmeBlocks(readme).find((block) => block.line > tryItLine);

describe("the README's first example", () => {
  const work = mkdtempSync(join(tmpdir(), 'readme-example-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is within the first screen of the README, and short', () => {
    expect(tryIt).toBeGreaterThan(0);
    expect(example).toBeDefined();
    expect(example!.line).toBeLessThanOrEqual(40);
    expect(example!.code.trim().split('\n').length).toBeLessThanOrEqual(14);
    expect(example!.code).toContain("from 'huawei-meeting-online-client/mock'");
  });

  it('runs as written against the mock and prints five meetings', async () => {
    const file = join(work, 'try.mjs'); // what the README tells the reader to save it as
    writeFileSync(file, example!.code);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    expect(printed).toHaveLength(5);
    // conferenceID, startTime (YYYY-MM-DD HH:MM, as Huawei returns it), subject
    for (const line of printed) expect(line).toMatch(/^\d+ \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S/);
  }, 120_000);
});
