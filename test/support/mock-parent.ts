// A process that starts the mock the way another repository's test run would, for the lifecycle tests:
// MOCK_OPTIONS (JSON) are startMockServer's options; it prints {url, port, pid} once the mock answers, then
// stays (MOCK_THEN=stay), throws an uncaught error (MOCK_THEN=throw), or exits without close() (MOCK_THEN=exit).
import { startMockServer } from '../../src/mock/index.js';

const mock = await startMockServer(JSON.parse(process.env.MOCK_OPTIONS ?? '{}'));
console.log(JSON.stringify({ url: mock.url, port: mock.port, pid: mock.pid }));
const then = process.env.MOCK_THEN ?? 'stay';
if (then === 'throw')
  setTimeout(() => {
    throw new Error('an uncaught error in the process that started the mock');
  }, 50);
else if (then === 'exit') setTimeout(() => process.exit(3), 50);
else setInterval(() => undefined, 60_000);
