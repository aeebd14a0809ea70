// Ajv 2020 set up to validate values against any schema of the bundled spec, $refs included.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { bundledSpec } from './spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const SPEC_ID = 'https://meeting-client.invalid/openapi.json';

/** Rewrites the spec's `#/components/schemas/...` refs so they resolve inside one registered schema document. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string'
          ? value.replace('#/components/schemas/', `${SPEC_ID}#/$defs/`)
          : rewriteRefs(value),
      ]),
    );
  }
  return node;
}

export function createSpecAjv(): { ajv: Ajv2020; compile: (schema: object) => ReturnType<Ajv2020['compile']> } {
  const ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false });
  addFormats(ajv);
  // The spec's schemas become the $defs of one registered document, so '#/components/schemas/X' resolves.
  ajv.addSchema({ $id: SPEC_ID, $defs: rewriteRefs(bundledSpec.components.schemas) } as object);
  return { ajv, compile: (schema) => ajv.compile(rewriteRefs(schema) as object) };
}
