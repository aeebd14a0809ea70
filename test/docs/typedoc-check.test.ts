// The TypeScript reference's promise, "every export documented", is kept by TypeDoc's notDocumented validation with
// warnings as errors (typedoc.json). This proves the check bites: the project's own TypeDoc settings, run over a small
// entry point, fail on an export without a comment and pass once it has one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);

async function typedoc(source: string): Promise<{ code: number; output: string }> {
  const work = mkdtempSync(join(tmpdir(), 'typedoc-check-'));
  try {
    writeFileSync(join(work, 'index.ts'), source);
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', skipLibCheck: true }, include: ['*.ts'] }),
    );
    writeFileSync(
      join(work, 'typedoc.json'),
      JSON.stringify({
        extends: [join(repoRoot, 'typedoc.json')],
        entryPoints: [join(work, 'index.ts')],
        tsconfig: join(work, 'tsconfig.json'),
        readme: 'none',
        // The project's exceptions name the project's own reflections, which this entry point does not have.
        intentionallyNotDocumented: [],
        intentionallyNotExported: [],
        out: join(work, 'out'),
      }),
    );
    const bin = join(repoRoot, 'node_modules/typedoc/bin/typedoc');
    const result = await run(process.execPath, [bin, '--options', join(work, 'typedoc.json')], { cwd: work }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );
    return { code: result.code, output: stripVTControlCharacters(result.output) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('the TypeScript reference (typedoc.json)', () => {
  it('fails the build on an export without a TSDoc comment, naming it', async () => {
    const { code, output } = await typedoc(
      '/** Documented. */\nexport const documented = 1;\nexport function undocumented(): number {\n  return 2;\n}\n',
    );
    expect(output).toMatch(/undocumented \(CallSignature\).* does not have any documentation/);
    expect(code).not.toBe(0);
  }, 60_000);

  it('passes once that export is documented', async () => {
    const { code, output } = await typedoc(
      '/** Documented. */\nexport const documented = 1;\n' +
        '/** Now documented. */\nexport function undocumented(): number {\n  return 2;\n}\n',
    );
    expect(output).not.toMatch(/does not have any documentation/);
    expect(code).toBe(0);
  }, 60_000);
});
