// The shell code samples of the spec (`x-codeSamples`, shown in the published docs), run as a reader would run
// them, against the stateful mock instead of Huawei: curl with openssl for the signature, and the CLI. The
// placeholders (`export X=…`) are the environment given here; `npx meetings-online` is this repository's CLI.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { MOCK_ADMIN_TOKEN, MOCK_APP } from '../../src/mock/index.js';
import { repoRoot } from '../support/paths.js';
import { timeLimit } from '../support/run.js';
import { bundledSpec } from '../support/spec.js';

const baseUrl = inject('statefulUrl');
const cli = `"${process.execPath}" --import tsx "${join(repoRoot, 'src/cli/main.ts')}"`;
const environment = {
  ...process.env,
  MEETING_TOKEN: MOCK_ADMIN_TOKEN,
  MEETING_APP_ID: MOCK_APP.appId,
  MEETING_APP_KEY: MOCK_APP.appKey,
  MEETING_ACCOUNT: 'user00',
  MEETING_PASSWORD: 'mock-password-0',
  MEETING_BASE_URL: baseUrl,
};

const samples = Object.values(bundledSpec.paths).flatMap((item) =>
  Object.values(item).flatMap((operation: any) =>
    (operation['x-codeSamples'] ?? [])
      .filter((sample: any) => sample.lang === 'Shell' || sample.lang === 'curl')
      .map((sample: any) => ({
        operationId: operation.operationId as string,
        label: sample.label as string,
        source: sample.source as string,
      })),
  ),
);

/** The sample as it would run here: the mock for Huawei, the environment for the placeholders. */
function runnable(source: string, operationId: string): string {
  const lines = source
    .split('\n')
    .filter((line) => !/^export \w+=…/.test(line))
    .map((line) => line.replaceAll(specFacts.servers[0], baseUrl).replace(/npx meetings-online/g, cli));
  // The CLI lists with the environment's credentials in the order it documents: keep only the one this sample shows.
  const only =
    operationId === 'createAppIdToken'
      ? 'unset MEETING_TOKEN MEETING_ACCOUNT; '
      : operationId === 'createAccountToken'
        ? 'unset MEETING_TOKEN MEETING_APP_ID; '
        : '';
  return `set -euo pipefail; ${only}${lines.join('\n')}`;
}

describe("the spec's shell code samples, run against the stateful mock", () => {
  it('are there for every operation: the CLI and curl', () => {
    const operations = Object.values(specFacts.operations).map((o) => o.path);
    expect(operations).toHaveLength(3);
    expect(samples.map((s) => `${s.operationId} ${s.label}`).sort()).toEqual(
      ['createAccountToken', 'createAppIdToken', 'listOngoingMeetings'].flatMap((id) => [`${id} CLI`, `${id} curl`]),
    );
  });

  it.each(samples.map((s) => [`${s.operationId} (${s.label})`, s] as const))(
    '%s works as written',
    async (_name, sample) => {
      const { stdout, stderr } = await promisify(execFile)(
        'bash',
        ['-c', runnable(sample.source, sample.operationId)],
        {
          cwd: repoRoot,
          env: environment,
          encoding: 'utf8',
          timeout: timeLimit(15_000), // tsx starting the CLI, on a loaded machine
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (sample.label === 'curl') {
        const answer = JSON.parse(stdout) as Record<string, unknown>;
        if (sample.operationId === 'listOngoingMeetings')
          expect(answer).toMatchObject({ data: expect.any(Array), limit: 100 });
        else expect(answer).toMatchObject({ accessToken: expect.stringMatching(/^[0-9a-f]{40}$/) });
      } else {
        expect(stdout, stderr).toMatch(/ongoing meeting\(s\)|"confUUID"/);
      }
    },
    timeLimit(15_000) + 10_000,
  );
});
