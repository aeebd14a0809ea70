// The project's own TypeScript compiler over a tsconfig (a folder or a file), as the tests that type-check code run it.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';
import { timeLimit } from './run.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
/** The whole project takes about 40 s on an idle 2-core machine. */
export const TSC_LIMIT_MS = timeLimit(60_000);

/** `tsc -p project`'s errors, one per line; '' when the project type-checks. */
export function typeErrors(project: string): Promise<string> {
  const cwd = statSync(project).isDirectory() ? project : dirname(project);
  const args = [tsc, '-p', project, '--pretty', 'false'];
  return promisify(execFile)(process.execPath, args, { cwd, timeout: TSC_LIMIT_MS, killSignal: 'SIGKILL' }).then(
    () => '',
    (error: { stdout?: string; killed?: boolean; stderr?: string }) => {
      if (error.killed) throw new Error(`tsc -p ${project} was killed at its time limit of ${TSC_LIMIT_MS} ms`);
      return error.stdout || error.stderr || String(error);
    },
  );
}
