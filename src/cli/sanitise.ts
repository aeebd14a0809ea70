// Text from the server goes to a terminal: control characters and escape sequences in it (a subject holding
// ESC[2J, a bidi override) would act on the terminal instead of showing. They are shown as escapes instead, and so are
// the characters terminals and string-width disagree on, which would break a table's columns: the line and paragraph
// separators (U+2028, U+2029), the invisible format characters (U+200B, U+FEFF, U+00AD, …), the Hangul fillers
// (U+115F, U+1160, U+3164, U+FFA0), lone surrogates (a terminal draws U+FFFD, string-width counts 0), private-use
// and unassigned code points (a font's glyph or nothing: no width anyone agrees on).

/**
 * Controls (C0, DEL, C1), format characters (bidi overrides and isolates, "Trojan Source", zero-width spaces, BOM,
 * soft hyphen), line/paragraph separators, lone surrogates, private-use and unassigned code points (as of this
 * Node.js's Unicode) and the Hangul fillers; but not the zero-width joiner and the tag characters, which join emoji
 * (👩‍💻, subdivision flags) and take no column anywhere.
 */
const UNSAFE = /(?!\u200d|[\u{e0020}-\u{e007f}])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\u115f\u1160\u3164\uffa0]/gu;

const visibleEscape = (char: string) => {
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
};

/** `text` safe to print on a terminal: every control or invisible character shown as `\xNN`, `\uNNNN` or `\u{…}`. */
export function sanitise(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/**
 * A tool's own message safe for a terminal: its line breaks kept as line breaks (node:util's parseArgs writes
 * several lines), anything else a terminal acts on (a typed flag holding ESC) shown as escapes as in `sanitise`.
 */
export function sanitiseOwnMessage(text: string): string {
  return text.split('\n').map(sanitise).join('\n');
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/**
 * Text the user typed, quoted on one line of a message: line breaks and tabs as `\n`, `\r`, `\t` (as a value is
 * shown with JSON.stringify), anything else a terminal acts on as in `sanitise`.
 */
export function sanitiseTyped(text: string): string {
  return sanitise(text.replace(/[\n\r\t]/g, (char) => SHORT_ESCAPES[char]!));
}

/** What JSON.stringify leaves raw inside strings (it escapes C0 itself; C0 outside strings is its own layout). */
const UNSAFE_IN_JSON = /(?!\u200d|[\u0000-\u001f\u{e0020}-\u{e007f}])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `\uNNNN` for each UTF-16 unit: a character past U+FFFF as its surrogate pair, as JSON spells it. */
const jsonEscape = (char: string) =>
  Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal acts on escaped as `\uNNNN`: still the same
 * JSON.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, jsonEscape);
}
