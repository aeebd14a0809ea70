import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/closest-name.js';
import { MeetingInputError } from '../../src/index.js';
import { clientOptionTable, integer, resolveOptions } from '../../src/options.js';
import { repoRoot } from '../support/paths.js';

describe('resolveOptions', () => {
  const table = {
    size: { doc: 'a size', default: 5, check: integer(1, 10) },
    name: { doc: 'a name', default: 'x', check: () => undefined },
  };

  it('fills in defaults and keeps what was given', () => {
    expect(resolveOptions('f', table, undefined)).toEqual({ size: 5, name: 'x' });
    expect(resolveOptions('f', table, { size: 7 })).toEqual({ size: 7, name: 'x' });
    expect(resolveOptions('f', table, { size: undefined })).toEqual({ size: 5, name: 'x' });
  });

  it('reads own properties only', () => {
    expect(resolveOptions('f', table, Object.create({ size: 99 }))).toEqual({ size: 5, name: 'x' });
  });

  it('names the function, the option, what was given and what is allowed', () => {
    expect(() => resolveOptions('f', table, { size: 11 })).toThrow(
      'f: size must be a whole number from 1 to 10, got 11',
    );
    expect(() => resolveOptions('f', table, { sise: 1 })).toThrow(
      'f: unknown option "sise"; did you mean "size"? (options: size, name)',
    );
    expect(() => resolveOptions('f', table, 'size=1')).toThrow(MeetingInputError);
  });
});

describe('closestName', () => {
  it('suggests what was most likely meant, and nothing far-fetched', () => {
    expect(closestName('baseURL', ['baseUrl', 'fetch'])).toBe('baseUrl');
    expect(closestName('timeOutMs', ['timeoutMs', 'retries'])).toBe('timeoutMs');
    expect(closestName('retires', ['retries', 'onRetry'])).toBe('retries');
    expect(closestName('proxy', ['token', 'baseUrl', 'fetch'])).toBeUndefined();
  });
});

describe("the README's option table", () => {
  it('lists every client option, with the default the table in src/options.ts gives it', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Options'), readme.indexOf('### Types'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map(
      ([, name, cell]) => [name!, cell!.trim()] as const,
    );
    expect(rows.map(([name]) => name)).toEqual(Object.keys(clientOptionTable));
    for (const [name, cell] of rows) {
      const value = clientOptionTable[name as keyof typeof clientOptionTable].default;
      if (typeof value === 'number' || typeof value === 'boolean') expect(cell.split(' ')[0], name).toBe(String(value));
      else if (typeof value === 'string') expect(cell, name).toBe(`\`${value}\``);
    }
  });
});
