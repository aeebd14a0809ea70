import { describe, expect, it } from 'vitest';
import { specFacts } from '../../generated/spec-facts.js';
import { createMeetingClient, MeetingInputError } from '../../src/index.js';
import { checkQuery } from '../../src/query.js';
import { fakeFetch, jsonResponse, page } from './fake-fetch.js';

const schemas = specFacts.operations.listOngoingMeetings.query;

/** Values just outside each parameter's schema, derived from the spec so no bound is retyped here. */
function invalidValues(): [string, unknown][] {
  const cases: [string, unknown][] = [];
  for (const [name, schema] of Object.entries(schemas) as [string, Record<string, any>][]) {
    if (schema.type === 'integer') {
      cases.push([name, 1.5], [name, '1'], [name, Number.NaN]);
      if (schema.minimum !== undefined) cases.push([name, schema.minimum - 1]);
      if (schema.maximum !== undefined) cases.push([name, schema.maximum + 1]);
    }
    if (schema.type === 'boolean') cases.push([name, 'true'], [name, 1]);
    if (schema.type === 'string') {
      cases.push([name, 42]);
      if (schema.minLength !== undefined) cases.push([name, 'x'.repeat(schema.minLength - 1)]);
      if (schema.maxLength !== undefined) cases.push([name, '😀'.repeat(schema.maxLength + 1)]);
    }
  }
  return cases;
}

describe('query checks made from the spec', () => {
  it('derives at least the documented bounds', () => {
    expect(invalidValues().map(([name]) => name)).toEqual(
      expect.arrayContaining(['offset', 'limit', 'queryAll', 'searchKey']),
    );
  });

  it.each(invalidValues())('refuses %s = %o before sending anything', async (name, value) => {
    const fake = fakeFetch(() => jsonResponse(page()));
    const client = createMeetingClient({ token: 't', fetch: fake.fetch });
    const error = await client.listOngoingMeetings({ [name]: value } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingInputError);
    expect(error).toMatchObject({ kind: 'input', parameter: name, attempts: 0, operation: 'listOngoingMeetings' });
    expect((error as Error).message).toMatch(new RegExp(`${name} must be `));
    expect(fake.requests).toHaveLength(0);
  });

  it('says what is allowed, with the bounds of the spec', () => {
    const limit = schemas.limit;
    const [problem] = checkQuery({ limit: limit.maximum + 1 }, schemas).problems;
    expect(problem?.problem).toBe(
      `limit must be an integer from ${limit.minimum} to ${limit.maximum}, got ${limit.maximum + 1}`,
    );
    const [tooLong] = checkQuery({ searchKey: 'a'.repeat(schemas.searchKey.maxLength + 1) }, schemas).problems;
    expect(tooLong?.problem).toContain(
      `a string of ${schemas.searchKey.minLength} to ${schemas.searchKey.maxLength} characters`,
    );
  });

  it('names an unknown parameter and lists the allowed ones', () => {
    const [problem] = checkQuery({ pageSize: 10 }, schemas).problems;
    expect(problem?.problem).toBe(`unknown query parameter "pageSize" (allowed: ${Object.keys(schemas).join(', ')})`);
    const [misspelt] = checkQuery({ queryall: true }, schemas).problems;
    expect(misspelt?.problem).toBe(
      `unknown query parameter "queryall"; did you mean "queryAll"? (allowed: ${Object.keys(schemas).join(', ')})`,
    );
  });

  it('accepts the boundary values themselves and counts characters, not UTF-16 units', () => {
    const atBounds = {
      offset: schemas.offset.minimum,
      limit: schemas.limit.maximum,
      queryAll: true,
      searchKey: '😀'.repeat(schemas.searchKey.maxLength),
    };
    expect(checkQuery(atBounds, schemas)).toEqual({ problems: [], checked: atBounds });
    expect(checkQuery({ limit: schemas.limit.minimum, offset: undefined }, schemas)).toEqual({
      problems: [],
      checked: { limit: schemas.limit.minimum },
    });
  });

  it('reports every problem at once', () => {
    const { problems } = checkQuery({ limit: 0, offset: -1 }, schemas);
    expect(problems.map((p) => p.parameter)).toEqual(['limit', 'offset']);
  });
});
