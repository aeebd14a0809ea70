// The bundled spec as data, for tests that derive expectations from it instead of retyping them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const bundledSpec = JSON.parse(readFileSync(join(repoRoot, 'generated/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; [section: string]: Record<string, any> };
  [key: string]: any;
};

export const listOperation = bundledSpec.paths['/v1/mmc/management/conferences/online']!.get;

/** Follows one local `$ref` (the bundle only has local ones). */
export function deref<T = any>(node: any): T {
  if (!node || typeof node.$ref !== 'string') return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((value: any, key: string) => value[key.replace(/~1/g, '/').replace(/~0/g, '~')], bundledSpec);
  return deref(target);
}

/** The documented error statuses of the operation and the example body of each. */
export function documentedErrors(): { status: number; example: { error_code: string; error_msg: string } }[] {
  return Object.entries(listOperation.responses)
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => {
      const media = deref(response).content['application/json'];
      const example = deref(Object.values(media.examples)[0]).value;
      return { status: Number(status), example };
    });
}

export function seedExampleValue(): unknown {
  return deref(listOperation.responses['200'].content['application/json'].examples.seedPage).value;
}
