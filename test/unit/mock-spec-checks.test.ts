// The mock's checks made from the spec: they validate without writing to the console of the process they run in
// (the in-process engine and MSW run inside the caller's test runner, where a stray notice is noise in every run).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileSpecChecks } from '../../src/mock/spec-checks.js';

afterEach(() => vi.restoreAllMocks());

describe("the mock's spec checks", () => {
  it('check every request body and parameter without a console notice (Ajv deprecations included)', () => {
    const spies = (['log', 'warn', 'error', 'info'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    let checked = 0;
    for (const operation of Object.values(compileSpecChecks())) {
      if (operation.body) checked += Number(operation.body({ not: 'a valid body' }) === false);
      for (const { validate } of operation.parameters) {
        validate('x');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
    for (const spy of spies) expect(spy.mock.calls).toEqual([]);
  });
});
