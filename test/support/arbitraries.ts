// fast-check arbitraries made from the spec's own schemas, so fuzzing follows the spec as it changes.
import fc from 'fast-check';
import { bundledSpec, deref } from './spec.js';

type Schema = Record<string, any>;

/** An arbitrary of values valid against `schema` (the subset of JSON Schema the spec uses). */
export function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema) as Schema;
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.length > 1) return fc.oneof(...type.map((t: string) => arbitraryFor({ ...s, type: t }, depth)));
  switch (type[0]) {
    case 'integer': {
      const max = s.format === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
      return fc.integer({ min: s.minimum ?? -max - 1, max: s.maximum ?? max });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (s.format === 'date')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc
        .string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) })
        .filter((x) => [...x].length <= (s.maxLength ?? Infinity));
    }
    case 'array':
      return fc.array(arbitraryFor(s.items, depth + 1), { maxLength: depth > 2 ? 1 : 3 });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries<Schema>(s.properties ?? {}).map(([name, sub]) => [name, arbitraryFor(sub, depth + 1)]),
      );
      return fc.record(properties, { requiredKeys: s.required ?? [] });
    }
    default:
      throw new Error(`arbitraryFor: no arbitrary for ${JSON.stringify(s).slice(0, 80)}`);
  }
}

export const schemaNamed = (name: string): Schema => bundledSpec.components.schemas[name];

/** A value of another JSON type than the property's schema allows: the simplest way to break a page. */
export function wrongTypeFor(schema: Schema): unknown {
  const s = deref(schema) as Schema;
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.includes('string')) return 12345;
  if (type.includes('integer') || type.includes('number')) return 'not a number';
  if (type.includes('boolean')) return 'not a boolean';
  if (type.includes('array')) return { not: 'an array' };
  return 'not an object';
}
