// Every TypeScript block of the README and of the guides (docs/**/*.md), and every TypeScript code sample of the spec
// (`x-codeSamples`, shown in the published docs), type-checked as written against the package's types under the
// project's strict settings (noUncheckedIndexedAccess and exactOptionalPropertyTypes included), so that none can drift
// from the API. Each block is its own module; what a snippet leaves to the reader is declared below.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { bundledSpec } from '../support/spec.js';
import { typeErrors } from '../support/tsc.js';
import { readmeBlocks } from '../docs/markdown.js';

/** What the snippets of the README and the guides take from the reader's own code. */
const PRELUDE = `// Names the snippets assume from the reader's own program (or from the snippet before).
import type { MeetingClient } from 'huawei-meeting-online-client';
declare global {
  function getAccessToken(): Promise<string>;
  const signal: AbortSignal;
  const client: MeetingClient;
}
`;

/** The README and every guide, as paths from the repository's root. */
export function documentedMarkdown(): string[] {
  const guides = readdirSync(join(repoRoot, 'docs'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`)
    .sort();
  return ['README.md', ...guides];
}

/**
 * The `@example` blocks of the source's TSDoc (shown in the TypeScript reference), with the ` * ` of the comment taken
 * off. A block with no import of its own has the package's exports in scope, as the reference page it sits on implies.
 */
function tsdocExamples(): { file: string; line: number; code: string }[] {
  const files = readdirSync(join(repoRoot, 'src'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(join(repoRoot, 'src', file), 'utf8').replace(/^\s*\* ?/gm, '');
    return readmeBlocks(text).map((block) => ({
      file: `src/${file}`,
      line: block.line,
      code: /^import /m.test(block.code) ? block.code : `${EXPORTS_IN_SCOPE}${block.code}`,
    }));
  });
}

const EXPORTS_IN_SCOPE = `import { accountAuth, appIdAuth, createMeetingClient } from 'huawei-meeting-online-client';
import { startMockServer } from 'huawei-meeting-online-client/mock';
`;

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

describe('the README, the guides and the code samples of the spec', () => {
  const work = mkdtempSync(join(tmpdir(), 'readme-blocks-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has TypeScript blocks, and every one compiles under the strict settings', async () => {
    const documents = documentedMarkdown();
    const blocksOf = new Map(
      documents.map((document) => [document, readmeBlocks(readFileSync(join(repoRoot, document), 'utf8'))]),
    );
    expect(blocksOf.get('README.md')!.length).toBeGreaterThanOrEqual(4);
    // Each guide that shows TypeScript is checked; these are the ones that must.
    for (const guide of ['calling-the-client', 'pagination', 'watching', 'sign-in', 'errors', 'mock']) {
      expect(blocksOf.get(`docs/guides/${guide}.md`)?.length, guide).toBeGreaterThan(0);
    }
    const samples = specSamples();
    expect(samples.map((s) => s.operationId).sort()).toEqual([
      'createAccountToken',
      'createAppIdToken',
      'listOngoingMeetings',
    ]);
    for (const sample of samples)
      writeFileSync(join(work, `spec-sample-${sample.operationId}.ts`), `${sample.source}\nexport {};\n`);
    const examples = tsdocExamples();
    expect(examples.map((example) => example.file)).toEqual(
      expect.arrayContaining(['src/index.ts', 'src/client.ts', 'src/mock/index.ts']),
    );
    for (const example of examples) {
      blocksOf.set(example.file, [...(blocksOf.get(example.file) ?? []), example]);
    }
    // Readers copy blocks into projects on @tsconfig/strictest, whose noPropertyAccessFromIndexSignature refuses
    // `process.env.X` (TS4111). That flag cannot be on here (the source the blocks import would be held to it too),
    // so the one index signature the blocks read is checked by its text.
    const dotted = [
      ...blocksOf,
      ...samples.map((s) => [`spec ${s.operationId}`, [{ code: s.source, line: 0 }]] as const),
    ]
      .flatMap(([document, blocks]) => blocks.map((block) => ({ document, block })))
      .filter(({ block }) => /process\.env\.[A-Za-z_]/.test(block.code))
      .map(({ document, block }) => `${document}:${block.line}`);
    expect(dotted, "write process.env['X']: @tsconfig/strictest refuses process.env.X").toEqual([]);
    // A file name per block that says where it came from: docs/guides/mock.md line 12 → docs~guides~mock.md~12.ts
    const files = [...blocksOf].flatMap(([document, blocks]) =>
      blocks.map((block) => {
        const file = join(work, `${document.replaceAll('/', '~')}~${block.line}.ts`);
        // `export {}` makes each block a module, so that top-level await and repeated names are fine.
        writeFileSync(file, `${block.code}\nexport {};\n`);
        return file;
      }),
    );
    writeFileSync(join(work, 'prelude.d.ts'), PRELUDE);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' })); // as a consumer's ESM project
    // The project's dependencies, as a consumer has its own: the MSW snippets import msw/node.
    symlinkSync(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
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
    // Name the Markdown file and line of each error, not the temporary file.
    const located = output
      .replaceAll(`${work}/`, '')
      .replace(
        /([\w.~-]+\.(?:md|ts))~(\d+)\.ts\((\d+),(\d+)\)/g,
        (_, document: string, block: string, line: string, column: string) =>
          `${document.replaceAll('~', '/')}:${Number(block) + Number(line)}:${column}`,
      );
    expect(located).toBe('');
  }, 120_000);
});
