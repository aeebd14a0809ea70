// Checks query values against the parameter schemas of the spec (generated/spec-facts.ts), so that the
// bounds are stated once, in openapi/, and a bad value is refused before anything is sent.
import { closestName } from './closest-name.js';

/** The subset of JSON Schema that the spec uses for parameters. */
export interface ParameterSchema {
  readonly type: 'integer' | 'number' | 'boolean' | 'string';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: unknown;
  readonly deprecated?: boolean;
}

/**
 * The problems with `query`, each naming the parameter, what was given and what is allowed, and the query to
 * send: a fresh object holding only what was checked. Only own properties count, so a prototype's (`limit`
 * inherited through `Object.create`) or `Object.prototype`'s (`constructor`) can neither pass nor be sent.
 */
export function checkQuery(
  query: unknown,
  schemas: Readonly<Record<string, ParameterSchema>>,
): {
  problems: { parameter: string | undefined; problem: string }[];
  checked: Record<string, string | number | boolean>;
} {
  const problems: { parameter: string | undefined; problem: string }[] = [];
  const checked: Record<string, string | number | boolean> = {};
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    problems.push({ parameter: undefined, problem: `the query must be an object of parameters, got ${show(query)}` });
    return { problems, checked };
  }
  const names = Object.keys(schemas);
  for (const name of Object.keys(query)) {
    const value = (query as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (!Object.hasOwn(schemas, name)) {
      const near = closestName(name, names);
      problems.push({
        parameter: name,
        problem:
          `unknown query parameter ${JSON.stringify(name)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} ` +
          `(allowed: ${names.join(', ')})`,
      });
      continue;
    }
    const problem = checkValue(value, schemas[name]!);
    if (problem) problems.push({ parameter: name, problem: `${name} ${problem}` });
    else checked[name] = value as string | number | boolean;
  }
  return { problems, checked };
}

/** What is wrong with `value` for `schema` ("must be …, got …"), or undefined when it fits. */
export function checkValue(value: unknown, schema: ParameterSchema): string | undefined {
  // What is allowed is described only when something is wrong: this runs on every call.
  const refused = (got: string) => `must be ${describe(schema)}, got ${got}`;
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : refused(show(value));
    case 'string': {
      if (typeof value !== 'string') return refused(show(value));
      // A lone surrogate cannot be percent-encoded (encodeURIComponent throws), so it cannot be sent.
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value))
        return 'must be well-formed Unicode text, got a lone surrogate';
      // JSON Schema counts characters as code points, so does this.
      const length = [...value].length;
      if (
        (schema.minLength !== undefined && length < schema.minLength) ||
        (schema.maxLength !== undefined && length > schema.maxLength)
      )
        return refused(`${length} characters`);
      return undefined;
    }
    case 'integer':
    case 'number': {
      const ok =
        typeof value === 'number' && (schema.type === 'integer' ? Number.isInteger(value) : Number.isFinite(value));
      if (!ok) return refused(show(value));
      if (
        (schema.minimum !== undefined && (value as number) < schema.minimum) ||
        (schema.maximum !== undefined && (value as number) > schema.maximum)
      )
        return refused(String(value));
      return undefined;
    }
  }
}

function describe(schema: ParameterSchema): string {
  if (schema.type === 'string') {
    const { minLength: min, maxLength: max } = schema;
    if (min !== undefined && max !== undefined) return `a string of ${min} to ${max} characters`;
    if (min !== undefined) return `a string of at least ${min} characters`;
    if (max !== undefined) return `a string of at most ${max} characters`;
    return 'a string';
  }
  if (schema.type === 'boolean') return 'true or false';
  const noun = schema.type === 'integer' ? 'an integer' : 'a number';
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return noun;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * What is wrong with a query value as it arrives on the wire (text), or undefined when it fits the schema: for a
 * server (the mock) that must say what was wrong in the client's terms. An integer or boolean is read from its text
 * first, so `limit=501` reads as 501 and `limit=abc` stays text.
 */
export function checkWireValue(name: string, raw: string, schema: ParameterSchema): string | undefined {
  let value: unknown = raw;
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) value = raw === 'true';
  const problem = checkValue(value, schema);
  return problem && `${name} ${problem}`;
}
