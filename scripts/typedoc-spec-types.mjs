// TypeDoc plugin for the types generated from the spec (generated/schema.d.ts: `paths`, `components`,
// `operations`). Their members mirror the OpenAPI document, key for key (`content`, `headers`, `application/json`):
// openapi-typescript copies the spec's descriptions where the spec has them, and the HTTP reference documents
// every one. They are not the handwritten API, so the "every export documented" check is not asked of their members;
// every handwritten export, and the three generated types themselves, still must be documented.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    const mirrored = project
      .getReflectionsByKind(ReflectionKind.Property)
      .filter((reflection) => !reflection.hasComment())
      .filter((reflection) => project.getSymbolIdFromReflection(reflection)?.packagePath === 'generated/schema.d.ts')
      .map((reflection) => reflection.getFriendlyFullName());
    const given = app.options.getValue('intentionallyNotDocumented');
    app.options.setValue('intentionallyNotDocumented', [...new Set([...given, ...mirrored])]);
  });
}
