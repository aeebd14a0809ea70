// Checks query values against the parameter schemas of the spec (generated/spec-facts.ts), so that the
// bounds are stated once, in openapi/, and a bad value is refused before anything is sent.

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

/** Returns the problems with `query`, each naming the parameter, what was given and what is allowed. */
export function checkQuery(
  query: Readonly<Record<string, unknown>>,
  schemas: Readonly<Record<string, ParameterSchema>>,
): { parameter: string; problem: string }[] {
  const problems: { parameter: string; problem: string }[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const schema = schemas[name];
    if (!schema) {
      problems.push({ parameter: name, problem: `unknown query parameter "${name}"; allowed: ${Object.keys(schemas).join(', ')}` });
      continue;
    }
    const problem = checkValue(value, schema);
    if (problem) problems.push({ parameter: name, problem: `${name} ${problem}` });
  }
  return problems;
}

function checkValue(value: unknown, schema: ParameterSchema): string | undefined {
  const allowed = describe(schema);
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be ${allowed}, got ${show(value)}`;
    case 'string': {
      if (typeof value !== 'string') return `must be ${allowed}, got ${show(value)}`;
      // JSON Schema counts characters as code points, so does this.
      const length = [...value].length;
      if (schema.minLength !== undefined && length < schema.minLength) return `must be ${allowed}, got ${length} characters`;
      if (schema.maxLength !== undefined && length > schema.maxLength) return `must be ${allowed}, got ${length} characters`;
      return undefined;
    }
    case 'integer':
    case 'number': {
      const ok = typeof value === 'number' && (schema.type === 'integer' ? Number.isInteger(value) : Number.isFinite(value));
      if (!ok) return `must be ${allowed}, got ${show(value)}`;
      if (schema.minimum !== undefined && (value as number) < schema.minimum) return `must be ${allowed}, got ${value}`;
      if (schema.maximum !== undefined && (value as number) > schema.maximum) return `must be ${allowed}, got ${value}`;
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
