#!/usr/bin/env node
// meetings-online-mock: runs the spec-driven mock until Ctrl-C. `npm run mock` in this repository.
import { parseArgs } from 'node:util';
import { specFacts } from '../../generated/spec-facts.js';
import { startMockServer } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    stateful: { type: 'boolean', default: false },
    meetings: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: meetings-online-mock [--port 4010] [--host 127.0.0.1] [--stateful [--meetings N]]

Serves the bundled OpenAPI spec with Prism, validating every request (--errors).
  default      the spec's examples; any X-Access-Token; Prefer: code=401|403|… picks a documented error
  --stateful   a generated enterprise (paging, searchKey, queryAll, administrator vs user tokens),
               every response validated against the spec by Prism's proxy`);
  process.exit(0);
}
const mock = await startMockServer({
  port: Number(values.port),
  host: values.host,
  stateful: values.stateful ? (values.meetings ? { meetings: Number(values.meetings) } : true) : false,
});
const path = specFacts.operations.listOngoingMeetings.path;
console.log(`Mock of ${path} (${values.stateful ? 'stateful' : 'examples'}) listening on ${mock.url}`);
console.log(`Try:\n  curl -H 'X-Access-Token: ${mock.tokens.admin}' '${mock.url}${path}?queryAll=true&limit=5'`);
if (values.stateful) {
  console.log(`Tokens: administrator ${mock.tokens.admin}, ordinary user ${mock.tokens.user}`);
  console.log(`App ID authentication: appId ${mock.apps[0]!.appId}, appKey ${mock.apps[0]!.appKey}`);
}
else console.log(`  curl -H 'X-Access-Token: any' -H 'Prefer: code=403' '${mock.url}${path}'`);
const stop = () => void mock.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
