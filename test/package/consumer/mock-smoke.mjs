// The mock on whichever Node.js runs this, with the Prism of the working directory's project.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createMeetingClient } from 'huawei-meeting-online-client';
import { startMockServer } from 'huawei-meeting-online-client/mock';

const prism = createRequire(join(process.cwd(), 'package.json'))('@stoplight/prism-cli/package.json').version;
const mock = await startMockServer({ stateful: { meetings: 30 } });
try {
  const client = createMeetingClient({ baseUrl: mock.url, token: mock.tokens.admin });
  const page = await client.listOngoingMeetings({ queryAll: true });
  const headers = { 'X-Access-Token': mock.tokens.admin };
  const refused = await (await fetch(`${mock.url}/v1/mmc/management/conferences/online?limit=501`, { headers })).json();
  console.log(JSON.stringify({ node: process.versions.node, prism, count: page.count, refused }));
} finally {
  await mock.close();
}
