// The mock as MSW 3.x handlers (installed as the alias msw3; needs Node.js 22.12+): the handlers' own `import 'msw'`
// is pointed at 3.x for this file, so the same handlers run on the other major.
import { setupServer } from 'msw3/node';
import { vi } from 'vitest';
import { mswCases } from '../support/mock-msw-cases.js';

vi.mock('msw', () => import('msw3'));

mswCases('3.x', setupServer as unknown as Parameters<typeof mswCases>[1]);
