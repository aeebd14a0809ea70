// The project's own TypeScript compiler over a tsconfig folder, as the tests that type-check code run it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

/** `tsc -p project`'s errors, one per line; '' when the project type-checks. */
export function typeErrors(project: string): Promise<string> {
  return promisify(execFile)(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: project }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
}
