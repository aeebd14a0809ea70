// What the client checks of a 2xx body: always the bare page shape it relies on; with
// `validateResponses`, the full schema of the spec, through a validator generated from it.

/** Returns what is wrong with a page, or undefined when the schema accepts it. */
export type PageValidator = (json: unknown) => string | undefined;

/** The minimum the client relies on: without these, a page cannot be read or walked. */
export function checkPageShape(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return `expected an object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`;
  }
  const page = json as Record<string, unknown>;
  if (!Array.isArray(page.data)) return '"data" is not an array';
  for (const field of ['offset', 'limit', 'count'] as const) {
    if (!Number.isInteger(page[field])) return `"${field}" is not an integer`;
  }
  const { data } = page;
  for (let i = 0; i < data.length; i++) {
    const item: unknown = data[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      const what = item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item;
      return `data[${i}] is ${what}, not a meeting object`;
    }
  }
  return undefined;
}

/** Loads the generated validator on first use, so clients that do not validate never load it. */
export async function loadPageValidator(): Promise<PageValidator> {
  const { validateOngoingMeetingsPage } = await import('../generated/validate-page.js');
  return (json) => {
    if (validateOngoingMeetingsPage(json)) return undefined;
    const [first] = validateOngoingMeetingsPage.errors ?? [];
    return first ? `${first.instancePath || '/'} ${first.message ?? first.keyword}` : 'rejected by the schema';
  };
}
