// `Prefer` read once, the same way for every engine (in-process, MSW, and the Prism engine's front, which hands Prism
// only what it read here): RFC 7240's names are case-insensitive (`CODE=429` is `code=429`), preferences are parted
// by `,` or `;` (several headers arrive joined by `, `), and a preference the mock does not know is ignored, as
// RFC 7240 lets a server do. A `code` that is not a plain status, an empty value, two different `code`s or
// `example`s, and `dynamic` (Prism's random filler, never Huawei-shaped) are refused, saying what is allowed.

/** What `Prefer` asks for: a status and an example name, each optional. */
export interface Preference {
  code?: number;
  example?: string;
}

const ALLOWED = 'allowed: code=<a status the spec documents>, example=<an example name of that status>';

/** The preference `Prefer` states, or the problem with it, in words for the 400. */
export function readPrefer(header: string | undefined): { preference: Preference } | { problem: string } {
  const preference: Preference = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    const value = (equals < 0 ? '' : part.slice(equals + 1)).trim().replace(/^"(.*)"$/, '$1');
    if (name === 'dynamic')
      return { problem: `Prefer: dynamic is not offered: every answer is one of the spec's examples; ${ALLOWED}` };
    if (name !== 'code' && name !== 'example') continue;
    if (value === '') return { problem: `Prefer: ${name} needs a value; ${ALLOWED}` };
    if (name === 'code' && !/^[1-5]\d\d$/.test(value))
      return { problem: `Prefer: code must be an HTTP status of 3 digits, got ${JSON.stringify(value)}; ${ALLOWED}` };
    const chosen = name === 'code' ? Number(value) : value;
    const before = preference[name];
    if (before !== undefined && before !== chosen)
      return { problem: `Prefer: ${name}=${before} and ${name}=${value} conflict: send one ${name}` };
    if (name === 'code') preference.code = Number(value);
    else preference.example = value;
  }
  return { preference };
}

/** The preference as Prism is handed it, once the mock has checked it: lower-case names, nothing else. */
export function preferHeader(preference: Preference): string | undefined {
  const parts = [];
  if (preference.code !== undefined) parts.push(`code=${preference.code}`);
  if (preference.example !== undefined) parts.push(`example=${preference.example}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
