// `tls: true`: both engines serve https with a certificate made at start for 127.0.0.1 and localhost, and `mock.ca`
// is the one thing a client has to trust: this client through its `fetch` (Node's default CAs plus mock.ca), Node's
// https with `ca`, undici's fetch with an Agent for one client only, and curl with `--cacert`. Without it, the
// connection is refused: the certificate is not trusted.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { accountAuth, createMeetingClient } from '../../src/index.js';
import { MOCK_ADMIN_TOKEN, type MockServer, startMockServer } from '../../src/mock/index.js';

const listPath = specFacts.operations.listOngoingMeetings.path;
// Node.js 22.19+ and 24.5+ (the suite runs on 24); @types/node 20 does not know them yet.
const { getCACertificates, setDefaultCACertificates } = tls as unknown as {
  getCACertificates(which: 'default'): string[];
  setDefaultCACertificates(certificates: string[]): void;
};
const folder = mkdtempSync(join(tmpdir(), 'mock-tls-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function httpsGet(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'x-access-token': MOCK_ADMIN_TOKEN }, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe.each(['prism', 'in-process'] as const)('the %s engine with tls: true', (engine) => {
  let mock: MockServer;
  let caFile: string;
  beforeAll(async () => {
    mock = await startMockServer({ engine, tls: true, stateful: { meetings: 30 } });
    caFile = join(folder, `${engine}.pem`);
    writeFileSync(caFile, mock.ca!);
  });
  afterAll(() => mock?.close());

  it('listens on https with a certificate for 127.0.0.1 and localhost, signed by mock.ca', () => {
    expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(mock.ca!);
    expect(ca.ca).toBe(true);
  });

  it("is trusted by Node's https given ca, at 127.0.0.1 and at localhost, and refused without it", async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const answer = await httpsGet(`https://${host}:${mock.port}${listPath}?limit=1`, mock.ca);
      expect(answer.status).toBe(200);
    }
    await expect(httpsGet(`${mock.url}${listPath}`, undefined)).rejects.toThrow(/self[- ]signed|unable to verify/i);
  });

  it('is trusted by curl --cacert', async () => {
    const { stdout } = await promisify(execFile)('curl', [
      '--silent',
      '--show-error',
      '--cacert',
      caFile,
      '-H',
      `X-Access-Token: ${MOCK_ADMIN_TOKEN}`,
      `${mock.url}${listPath}?limit=2&queryAll=true`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ limit: 2, count: 30 });
  });

  it("signs in and lists through this client's fetch once mock.ca is trusted", async () => {
    const before = getCACertificates('default');
    setDefaultCACertificates([...before, mock.ca!]);
    try {
      const token = accountAuth({ account: 'user00', password: 'mock-password-0', baseUrl: mock.url });
      const client = createMeetingClient({ baseUrl: mock.url, token });
      await expect(client.listOngoingMeetings({ limit: 3, queryAll: true })).resolves.toMatchObject({
        limit: 3,
        count: 30,
      });
    } finally {
      setDefaultCACertificates(before);
    }
  });

  it("trusts mock.ca for one client only, through undici's fetch with an Agent (as the guide shows)", async () => {
    const dispatcher = new Agent({ connect: { ca: mock.ca! } });
    const untrusting = new Agent(); // its own connections: none that an earlier test made with mock.ca trusted
    const clientWith = (agent: Agent) =>
      createMeetingClient({
        baseUrl: mock.url,
        token: mock.tokens.admin,
        retries: 0,
        fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as never,
      });
    try {
      await expect(clientWith(dispatcher).listOngoingMeetings({ limit: 2, queryAll: true })).resolves.toMatchObject({
        count: 30,
      });
      await expect(clientWith(untrusting).listOngoingMeetings()).rejects.toMatchObject({ kind: 'network' });
    } finally {
      await Promise.all([dispatcher.close(), untrusting.close()]);
    }
  });
});

it.each(['prism', 'in-process'] as const)(
  'on the %s engine at 127.0.0.2, certifies that address, so the client lists at mock.url',
  async (engine) => {
    const mock = await startMockServer({ engine, host: '127.0.0.2', tls: true, stateful: { meetings: 4 } });
    const before = getCACertificates('default');
    setDefaultCACertificates([...before, mock.ca!]);
    try {
      expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
      const client = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin, retries: 0 });
      await expect(client.listOngoingMeetings({ queryAll: true })).resolves.toMatchObject({ count: 4 });
    } finally {
      setDefaultCACertificates(before);
      await mock.close();
    }
  },
);

it('makes a new certificate authority for every mock', async () => {
  const [a, b] = await Promise.all([
    startMockServer({ engine: 'in-process', tls: true }),
    startMockServer({ engine: 'in-process', tls: true }),
  ]);
  try {
    expect(a.ca).not.toBe(b.ca);
    expect(new X509Certificate(a.ca!).fingerprint256).not.toBe(new X509Certificate(b.ca!).fingerprint256);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
