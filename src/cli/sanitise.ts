// Text from the server goes to a terminal: control characters and escape sequences in it (a subject holding
// ESC[2J, a bidi override) would act on the terminal instead of showing. They are shown as escapes instead.

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates ("Trojan Source").
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visibleEscape = (char: string) => {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** `text` safe to print on a terminal: every control character shown as `\xNN` or `\uNNNN`. */
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

/** What JSON.stringify leaves raw inside strings (it escapes C0 itself; C0 outside strings is its own layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal acts on escaped as `\uNNNN`: still the same
 * JSON.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
