// Requests and answers checked against the spec itself (the bundled generated/openapi.json), with validators Ajv
// compiles from its schemas at start: what Prism does for the Prism engine, here for the in-process one. A request
// outside the spec is refused in the words the Prism engine's front uses (the client's own for a query value); an
// answer outside the spec is a loud 500 naming what is wrong, as Prism's `--errors` makes it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import spec from '../../generated/openapi.json' with { type: 'json' };
import { checkWireValue, type ParameterSchema } from '../query.js';
import {
  huawei,
  INVALID_PARAMETER,
  type MockRequest,
  type MockResponse,
  SIGN_IN_FAILED,
  SPEC_VIOLATION,
  TOKEN_INVALID,
} from './answers.js';
import type { OperationId } from './gate.js';

// biome-ignore lint/suspicious/noExplicitAny: the spec is walked as plain JSON, its shape checked by its own tests
type Node = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const SPEC_ID = 'https://meetings-online-mock.invalid/openapi.json';

/** `#/components/…` refs of the spec, followed. */
export function resolve<T = Node>(node: Node): T {
  if (typeof node?.$ref !== 'string') return node as T;
  const path = (node.$ref as string).replace(/^#\//, '').split('/');
  return resolve(path.reduce<Node>((value, key) => value[key], spec as Node));
}

/** The spec's schema refs, pointed at the one document Ajv holds. */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'examples' && key !== 'example')
      .map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string'
          ? value.replace('#/components/schemas/', `${SPEC_ID}#/$defs/`)
          : forAjv(value),
      ]),
  );
}

interface Parameter {
  name: string;
  in: 'query' | 'header';
  required?: boolean;
  schema: ParameterSchema & Node;
}

export interface OperationChecks {
  parameters: { parameter: Parameter; validate: Check }[];
  /** The credential: the header it travels in, and whether it is HTTP Basic. */
  credential: { header: string; basic: boolean } | undefined;
  body: Check | undefined;
  /** Validators of the documented answers by status. */
  responses: Map<number, { validate: Check; headers: Record<string, Node> }>;
  /** The operation as the spec has it (for its examples). */
  operation: Node;
}

/** A validator: true when the value fits, else false with the reasons in `errors`. */
export type Check = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null | undefined };

/** The spec's schemas in one Ajv, made on first use. */
function ajvFor(allErrors: boolean, unicode: boolean): () => Ajv2020 {
  let ajv: Ajv2020 | undefined;
  return () => {
    if (ajv) return ajv;
    // The `unicode` option is deprecated in Ajv 8 (still honoured; Ajv is bundled, pinned), and naming it at all
    // prints a notice: left out when true (the default), and set quietly when false.
    ajv = new Ajv2020({ strict: false, allErrors, ...(unicode ? {} : { unicode: false, logger: false as const }) });
    addFormats(ajv);
    ajv.addSchema({ $id: SPEC_ID, $defs: forAjv(spec.components.schemas) } as object);
    return ajv;
  };
}

/** A validator of `schema` compiled on its first call: start-up stays in milliseconds. */
function lazily(ajv: () => Ajv2020, schema: Node): Check {
  let compiled: ValidateFunction | undefined;
  const check: Check = (data) => {
    compiled ??= ajv().compile(forAjv(schema) as object);
    const fits = compiled(data) as boolean;
    check.errors = compiled.errors;
    return fits;
  };
  return check;
}

/** One validator set per operation, each compiled once, when first needed. */
export function compileSpecChecks(): Record<OperationId, OperationChecks> {
  // Every problem of a request is listed, string lengths counted in characters, as Prism counts them. An answer stops
  // at its first problem and counts UTF-16 units (a third of the check's time otherwise): stricter on a maxLength,
  // never looser, and the mock's own strings are far from any bound. It runs on every answer: speed counts.
  const requestAjv = ajvFor(true, true);
  const answerAjv = ajvFor(false, false);
  const compile = (schema: Node) => lazily(requestAjv, schema);
  const answers = (schema: Node) => lazily(answerAjv, schema);
  const checks: Partial<Record<OperationId, OperationChecks>> = {};
  for (const item of Object.values(spec.paths as Record<string, Node>)) {
    for (const operation of Object.values(item) as Node[]) {
      const parameters = ((operation.parameters ?? []) as Node[]).map((p) => resolve<Parameter>(p));
      const [requirement] = (operation.security ?? spec.security) as Record<string, unknown>[];
      const scheme = requirement
        ? resolve((spec.components.securitySchemes as Node)[Object.keys(requirement)[0]!])
        : undefined;
      const credential = scheme
        ? { header: scheme.type === 'http' ? 'Authorization' : (scheme.name as string), basic: scheme.type === 'http' }
        : undefined;
      const body = operation.requestBody
        ? compile(resolve(operation.requestBody).content['application/json'].schema)
        : undefined;
      const responses = new Map<number, { validate: Check; headers: Record<string, Node> }>();
      for (const [status, response] of Object.entries(operation.responses as Record<string, Node>)) {
        const resolved = resolve(response);
        responses.set(Number(status), {
          validate: answers(resolved.content['application/json'].schema),
          headers: Object.fromEntries(
            Object.entries((resolved.headers ?? {}) as Record<string, Node>).map(([name, h]) => [name, resolve(h)]),
          ),
        });
      }
      checks[operation.operationId as OperationId] = {
        parameters: parameters.map((parameter) => ({ parameter, validate: compile(parameter.schema) })),
        credential,
        body,
        responses,
        operation,
      };
    }
  }
  return checks as Record<OperationId, OperationChecks>;
}

/** An Ajv error in the words Prism's violations use, as the Prism engine's front shows them. */
function describeBodyError(error: ErrorObject): string {
  const where = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  return where === '' ? `body ${error.message}` : `body: ${where} ${error.message}`;
}

/** Base64 decoded as leniently as Node's Buffer does (other characters skipped), as latin1 text. */
function lenientBase64(text: string): string {
  const clean = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/[^A-Za-z0-9+/]/g, '');
  try {
    return atob(clean.length % 4 === 1 ? clean.slice(0, -1) : clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
  } catch {
    return '';
  }
}

/** What Prism accepts as HTTP Basic: `Basic <token>` (one space) whose base64 holds exactly one colon. */
function isBasicCredential(header: string): boolean {
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'basic' && !!token && lenientBase64(token).split(':').length === 2;
}

/**
 * The refusal of a request outside the spec, or undefined when it fits: a 401 when the credential header is
 * missing (Prism's security check comes first), else a 400 listing every problem.
 */
export function checkRequest(
  checks: OperationChecks,
  request: MockRequest,
  url: URL,
  body: unknown,
  cors: Record<string, string>,
): MockResponse | undefined {
  const { credential } = checks;
  if (credential) {
    const value = request.headers[credential.header.toLowerCase()];
    if (!value || (credential.basic && !isBasicCredential(value))) {
      const code = credential.header === 'Authorization' ? SIGN_IN_FAILED : TOKEN_INVALID;
      return huawei(401, code, `The ${credential.header} header is missing or not valid`, cors);
    }
  }
  const problems: string[] = [];
  for (const { parameter, validate } of checks.parameters) {
    const raw =
      parameter.in === 'query' ? url.searchParams.get(parameter.name) : request.headers[parameter.name.toLowerCase()];
    const given = parameter.in === 'query' ? url.searchParams.getAll(parameter.name).length : 1;
    if (given > 1) {
      problems.push(`${parameter.name} must be given once, got ${given} values`);
      continue;
    }
    // An empty query value (`searchKey=`) is a value like any other, checked against the spec: Huawei's service
    // reads it as given, and the client refuses to send one.
    if (raw === null || raw === undefined) {
      if (parameter.required) problems.push(`${parameter.name} is required`);
      continue;
    }
    if (parameter.in === 'query') {
      const problem = checkWireValue(parameter.name, raw, parameter.schema);
      if (problem) problems.push(problem);
    } else if (!validate(raw)) {
      problems.push(`${parameter.name} header ${validate.errors?.[0]?.message ?? 'is not valid'}`);
    }
  }
  if (checks.body && !checks.body(body)) problems.push(...(checks.body.errors ?? []).map(describeBodyError));
  return problems.length > 0 ? huawei(400, INVALID_PARAMETER, [...new Set(problems)].join('; '), cors) : undefined;
}

/** `answer` when the spec documents it as it is, else a loud 500 naming what breaks the spec. */
export function checkResponse(checks: OperationChecks, answer: MockResponse): MockResponse {
  const documented = checks.responses.get(answer.status);
  let problem: string | undefined;
  if (!documented) problem = `status ${answer.status} is not documented for ${checks.operation.operationId}`;
  else {
    let body: unknown = answer.value;
    if (!('value' in answer))
      try {
        body = JSON.parse(typeof answer.body === 'string' ? answer.body : new TextDecoder().decode(answer.body));
      } catch {
        problem = `the body of the ${answer.status} answer is not JSON`;
      }
    if (problem === undefined && !documented.validate(body)) {
      const errors = (documented.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
      problem = `the ${answer.status} answer breaks its schema: ${errors.join('; ')}`;
    }
  }
  return problem === undefined ? answer : huawei(500, SPEC_VIOLATION, `The mock's answer breaks the spec: ${problem}`);
}
