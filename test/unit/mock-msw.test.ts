// The mock as MSW 2.x handlers (the major most suites still run): see test/support/mock-msw-cases.ts.
import { setupServer } from 'msw/node';
import { mswCases } from '../support/mock-msw-cases.js';

mswCases('2.x', setupServer);
