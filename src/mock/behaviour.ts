// The mock's behaviour, once, as a function from a request to an answer: the gate (route, body size, a JSON object
// body), the request checked against the spec, the examples or the stateful enterprise, and the answer checked
// against the spec before it leaves. The in-process engine serves it on node:http; the Prism engine runs the same
// gate, request checks and stateful behaviour, with Prism validating again and checking the answers.
import { corsHeaders, type MockRequest, type MockResponse } from './answers.js';
import { examplesAnswer, preferenceRefusal } from './examples.js';
import { gate } from './gate.js';
import { checkRequest, checkResponse, compileSpecChecks } from './spec-checks.js';
import type { MockUser } from './enterprise.js';
import { createStatefulMock, type MockApp, type StatefulMock, type StatefulOptions } from './stateful.js';

export interface Behaviour {
  handle(request: MockRequest): Promise<MockResponse>;
  /** Stateful mode: its enterprise, timeline and apps. */
  stateful: StatefulMock | undefined;
}

/** The behaviour of the examples mode, or of the stateful mode with `stateful`'s options. */
export function createBehaviour(stateful: StatefulOptions | undefined): Behaviour {
  const checks = compileSpecChecks();
  const mock = stateful ? createStatefulMock(stateful) : undefined;
  return {
    stateful: mock,
    handle: async (request) => {
      const gated = gate(request);
      if ('answer' in gated) return gated.answer;
      const operation = checks[gated.operationId];
      const cors = corsHeaders(request);
      const refused =
        checkRequest(operation, request, gated.url, gated.body, cors) ??
        preferenceRefusal(operation, request, mock !== undefined, cors);
      if (refused) return refused;
      const answer = mock ? await mock.handle(request) : examplesAnswer(operation, request);
      const checked = checkResponse(operation, answer);
      return { ...checked, headers: { ...cors, ...checked.headers } };
    },
  };
}

/**
 * The stateful mode's users and apps as callers get them: copies, so that a test that edits them (deletes a
 * password before logging, say) changes nothing the mock checks a sign-in against.
 */
export function credentialsOf(mock: StatefulMock | undefined): { users: MockUser[]; apps: MockApp[] } {
  return {
    users: (mock?.enterprise.users ?? []).map((user) => ({ ...user })),
    apps: (mock?.apps ?? []).map((app) => ({ ...app })),
  };
}
