// TypeDoc plugin for the types generated from the spec (generated/schema.d.ts, by openapi-typescript: `paths`,
// `components`, `operations`). generated/ is never edited by hand, so what they are is said here, and their members,
// which mirror the OpenAPI document key for key (`content`, `headers`, `application/json`), carry the spec's
// descriptions where the spec has them; the HTTP reference documents every one. The "every export documented" check
// is therefore not asked of those members; every handwritten export and member still must be documented.
import { Comment, Converter, ReflectionKind } from 'typedoc';

const GENERATED = 'generated/schema.d.ts';
const SUMMARIES = {
  paths:
    'Each path of the spec with its operations, as openapi-typescript generates it from the OpenAPI document: ' +
    "the type openapi-fetch's `createClient<paths>()` takes. Its fields are documented in the HTTP API reference.",
  components:
    "The spec's reusable parts (`components['schemas']['ConferenceInfo']`, responses, parameters), as " +
    'openapi-typescript generates them. Their fields are documented in the HTTP API reference.',
  operations:
    'Each operation of the spec by its operationId (`listOngoingMeetings`, `createAppIdToken`, ' +
    '`createAccountToken`): parameters, request body and responses, as openapi-typescript generates them.',
};

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    const fromSpec = (reflection) => project.getSymbolIdFromReflection(reflection)?.packagePath === GENERATED;
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Interface | ReflectionKind.TypeAlias)) {
      const summary = SUMMARIES[reflection.name];
      if (summary && fromSpec(reflection) && !reflection.hasComment()) {
        reflection.comment = new Comment([{ kind: 'text', text: summary }]);
      }
    }
    const mirrored = project
      .getReflectionsByKind(ReflectionKind.Property)
      .filter((reflection) => !reflection.hasComment() && fromSpec(reflection))
      .map((reflection) => reflection.getFriendlyFullName());
    const given = app.options.getValue('intentionallyNotDocumented');
    app.options.setValue('intentionallyNotDocumented', [...new Set([...given, ...mirrored])]);
  });
}
