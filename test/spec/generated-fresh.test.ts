import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

// Regenerates into a temporary folder and compares: a spec change without `npm run generate` fails here.
describe('generated/', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'meeting-generated-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));
  execFileSync(process.execPath, [join(repoRoot, 'scripts/generate.mjs'), fresh], { cwd: repoRoot, stdio: 'pipe' });
  const committed = join(repoRoot, 'generated');

  it('holds exactly the files the generator makes', () => {
    expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
  });

  it.each(readdirSync(fresh).sort())('%s is up to date with openapi/ (run `npm run generate`)', (file) => {
    const expected = readFileSync(join(fresh, file), 'utf8');
    const actual = readFileSync(join(committed, file), 'utf8');
    expect(actual === expected, `${file} is stale: run npm run generate`).toBe(true);
  });
});
