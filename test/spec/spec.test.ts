import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createSpecAjv } from '../support/ajv.js';
import { repoRoot } from '../support/paths.js';
import { bundledSpec, deref, seedExampleValue } from '../support/spec.js';

const readFixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', name), 'utf8'));
const { compile } = createSpecAjv();
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every (where, value, schema) triple of the spec that carries an example. */
function collectExamples(): { where: string; value: unknown; schema: object }[] {
  const found: { where: string; value: unknown; schema: object }[] = [];
  const walkSchema = (schema: any, where: string) => {
    if (!schema || typeof schema !== 'object' || schema.$ref) return;
    for (const [i, value] of (schema.examples ?? []).entries())
      found.push({ where: `${where}.examples[${i}]`, value, schema });
    if (schema.example !== undefined) found.push({ where: `${where}.example`, value: schema.example, schema });
    for (const [name, property] of Object.entries(schema.properties ?? {})) walkSchema(property, `${where}.${name}`);
    if (schema.items) walkSchema(schema.items, `${where}[]`);
  };
  for (const [name, schema] of Object.entries(bundledSpec.components.schemas)) walkSchema(schema, name);
  const operations = Object.values(bundledSpec.paths).flatMap((item) => Object.values(item as Record<string, any>));
  for (const operation of operations) {
    const id = operation.operationId as string;
    for (const parameter of (operation.parameters ?? []).map(deref)) {
      walkSchema(parameter.schema, `${id} parameter ${parameter.name}`);
      if (parameter.example !== undefined)
        found.push({
          where: `${id} parameter ${parameter.name}.example`,
          value: parameter.example,
          schema: parameter.schema,
        });
    }
    const body = operation.requestBody && deref(operation.requestBody).content['application/json'];
    for (const [name, example] of Object.entries(body?.examples ?? {})) {
      found.push({ where: `${id} request example ${name}`, value: deref(example).value, schema: body.schema });
    }
    for (const [status, response] of Object.entries<any>(operation.responses)) {
      const resolved = deref(response);
      for (const [header, definition] of Object.entries<any>(resolved.headers ?? {})) {
        const h = deref(definition);
        if (h.example !== undefined)
          found.push({ where: `${id} ${status} header ${header}`, value: h.example, schema: h.schema });
      }
      const media = resolved.content['application/json'];
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        found.push({ where: `${id} ${status} example ${name}`, value: deref(example).value, schema: media.schema });
      }
    }
  }
  return found;
}

describe('the bundled spec', () => {
  it('is valid OpenAPI 3.1 by an independent validator', async () => {
    const result = await new Validator().validate(structuredClone(bundledSpec));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  const examples = collectExamples();
  it('has examples to check: every response, parameter and scalar property', () => {
    expect(examples.length).toBeGreaterThan(120);
    expect(examples.some((e) => e.where === 'listOngoingMeetings 200 example seedPage')).toBe(true);
    expect(examples.some((e) => e.where === 'createAppIdToken 200 example token')).toBe(true);
  });

  it.each(examples.map((e) => [e.where, e] as const))(
    'example %s validates against its schema',
    (_where, { value, schema }) => {
      const validate = compile(schema);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("has the seed page's example response as its 200 example, value for value", () => {
    expect(seedExampleValue()).toEqual(readFixture('seed-response.json'));
  });

  it('accepts real Huawei responses: the seed page and a scheduled-meeting example from Huawei docs', () => {
    const page = compile(schemaRef('OngoingMeetingsPage'));
    expect(page(readFixture('seed-response.json')), JSON.stringify(page.errors)).toBe(true);
    const meeting = compile(schemaRef('ConferenceInfo'));
    for (const conference of readFixture('huawei-create-meeting-response.json')) {
      expect(meeting(conference), JSON.stringify(meeting.errors)).toBe(true);
    }
  });

  it('accepts the fields Huawei returns that no model lists (objects stay open)', () => {
    const meeting = compile(schemaRef('ConferenceInfo'));
    const conference = {
      ...readFixture('seed-response.json').data[0],
      isHardTerminalAutoMute: 0,
      isSoftTerminalAutoMute: 0,
      cycleParams: { startDate: '2022-08-30', endDate: '2022-09-30', cycle: 'Week', cycleCount: 0 },
      subConfs: [{ cycleSubConfID: '7ab1c2d3e4f5061728394a5b6c7d8e9f', confConfigInfo: { joinBeforeHostTime: 0 } }],
    };
    expect(meeting(conference), JSON.stringify(meeting.errors)).toBe(true);
  });

  it('rejects a meeting whose field has the wrong type', () => {
    const meeting = compile(schemaRef('ConferenceInfo'));
    expect(meeting({ isAutoMute: true })).toBe(false);
    expect(meeting({ confConfigInfo: { isAutoMute: 1 } })).toBe(false);
    expect(meeting({ startTime: '2019-12-18T07:28:00Z' })).toBe(false);
  });

  it("shows a throttled answer's X-APIG-Ratelimit-Api with nothing remaining", () => {
    const operations = Object.values(bundledSpec.paths).flatMap((item) => Object.values(item as Record<string, any>));
    const throttled = operations.flatMap((operation) =>
      operation.responses['429'] ? [operation.responses['429']] : [],
    );
    const headers = throttled.map((response) => deref(deref(response).headers['X-APIG-Ratelimit-Api']));
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers)
      for (const example of [header.example, ...header.schema.examples]) expect(example).toMatch(/^remain:0,/);
  });
});

describe('coverage of the reference (test/fixtures/reference-properties.json, 117 properties)', () => {
  const reference: Record<string, Record<string, { type: string; format?: string; items?: string }>> = readFixture(
    'reference-properties.json',
  );
  const cases = Object.entries(reference).flatMap(([schemaName, properties]) =>
    Object.entries(properties).map(
      ([property, expected]) => [`${schemaName}.${property}`, schemaName, property, expected] as const,
    ),
  );
  it.each(cases)('%s is in the spec with the reference type', (_label, schemaName, property, expected) => {
    const schema = deref(bundledSpec.components.schemas[schemaName]);
    expect(schema, `schema ${schemaName}`).toBeDefined();
    const actual = deref(schema.properties?.[property]);
    expect(actual, `property ${schemaName}.${property}`).toBeDefined();
    const types = [actual.type].flat();
    expect(types).toContain(expected.type);
    if (expected.format) expect(actual.format).toBe(expected.format);
    if (expected.items) expect(deref(actual.items).type).toBe(expected.items);
  });

  it('declares no property that the reference does not list', () => {
    for (const [schemaName, properties] of Object.entries(reference)) {
      const declared = Object.keys(deref(bundledSpec.components.schemas[schemaName]).properties ?? {});
      expect(declared.sort(), schemaName).toEqual(Object.keys(properties).sort());
    }
  });
});
