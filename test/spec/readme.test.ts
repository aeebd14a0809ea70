// Every TypeScript block of the README, and every TypeScript code sample of the spec (`x-codeSamples`, shown in the
// published docs), type-checked as written against the package's types under the project's strict settings
// (noUncheckedIndexedAccess and exactOptionalPropertyTypes included), so that neither can drift from the API. Each
// block is its own module; what a snippet leaves to the reader is declared below.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { bundledSpec } from '../support/spec.js';
import { typeErrors } from '../support/tsc.js';

/** What the README's snippets take from the reader's own code. */
const PRELUDE = `// Names the README's snippets assume from the reader's own program (or from the snippet before).
import type { MeetingClient } from 'huawei-meeting-online-client';
declare global {
  function getAccessToken(): Promise<string>;
  const signal: AbortSignal;
  const client: MeetingClient;
}
`;

export function readmeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const pattern = /^```(ts|typescript)\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[2]! });
  }
  return blocks;
}

/** The TypeScript `x-codeSamples` of every operation of the bundled spec. */
function specSamples(): { operationId: string; source: string }[] {
  return Object.values(bundledSpec.paths).flatMap((item) =>
    Object.values(item).flatMap((operation: any) =>
      (operation['x-codeSamples'] ?? [])
        .filter((sample: any) => sample.lang === 'TypeScript')
        .map((sample: any) => ({ operationId: operation.operationId, source: sample.source })),
    ),
  );
}

describe('the README and the code samples of the spec', () => {
  const work = mkdtempSync(join(tmpdir(), 'readme-blocks-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has TypeScript blocks, and every one compiles under the strict settings', async () => {
    const blocks = readmeBlocks(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const samples = specSamples();
    expect(samples.map((s) => s.operationId).sort()).toEqual([
      'createAccountToken',
      'createAppIdToken',
      'listOngoingMeetings',
    ]);
    for (const sample of samples)
      writeFileSync(join(work, `spec-sample-${sample.operationId}.ts`), `${sample.source}\nexport {};\n`);
    const files = blocks.map((block) => {
      const file = join(work, `readme-line-${block.line}.ts`);
      // `export {}` makes each block a module, so that top-level await and repeated names are fine.
      writeFileSync(file, `${block.code}\nexport {};\n`);
      return file;
    });
    writeFileSync(join(work, 'prelude.d.ts'), PRELUDE);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' })); // as a consumer's ESM project
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: join(repoRoot, 'tsconfig.json'),
        compilerOptions: {
          typeRoots: [join(repoRoot, 'node_modules/@types')],
          skipLibCheck: true,
          noUnusedLocals: false,
        },
        include: [...files, join(work, 'spec-sample-*.ts'), join(work, 'prelude.d.ts')],
      }),
    );
    const output = await typeErrors(work);
    // Name the README line of each error, not the temporary file.
    const located = output
      .replaceAll(`${work}/`, '')
      .replace(
        /readme-line-(\d+)\.ts\((\d+),(\d+)\)/g,
        (_, block: string, line: string, column: string) => `README.md:${Number(block) + Number(line)}:${column}`,
      );
    expect(located).toBe('');
  }, 120_000);
});
