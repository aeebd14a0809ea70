// How many terminal columns text takes, per grapheme cluster (what a terminal draws as one character): `e` + U+0301
// is 1, `✅` and `👩‍💻` are 2, CJK is 2. string-width (bundled into the CLI only) knows East Asian Width and emoji
// presentation from Unicode's tables; a hand-kept table would drift from them.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter();
/**
 * Text made only of characters that never join others into a cluster and whose width is known needs no segmenting
 * (most cells): printable ASCII and the en dash (1 column); CJK ideographs, Hangul syllables, CJK punctuation and
 * fullwidth forms (2). A negated class without a quantifier: `^[…]*$` overflows V8's backtrack stack on millions.
 */
const NOT_SIMPLE = /[^\x20-\x7e\u2013\u3000-\u3029\u3030-\u303e\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60]/;
const simpleWidth = (code: number) => (code < 0x2014 ? 1 : 2);
/**
 * No character a terminal draws is this long (the longest emoji sequences take about 15 UTF-16 units); longer is a
 * pile of combining marks from a hostile server, shown as one U+FFFD so that a row stays a row.
 */
const LONGEST_CLUSTER = 32;
const REPLACEMENT = '\ufffd';

/** The columns `text` takes on a terminal (text already sanitised: no control characters). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * The longest start of `text` that fits in `columns`, cut between grapheme clusters only; `whole` when that is all
 * of it. Reads no further than it needs: a megabyte subject costs what the cell shows.
 */
export function cut(text: string, columns: number): { text: string; width: number; whole: boolean } {
  if (!NOT_SIMPLE.test(text)) {
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const next = width + simpleWidth(text.charCodeAt(i));
      if (next > columns) return { text: text.slice(0, i), width, whole: false };
      width = next;
    }
    return { text, width, whole: true };
  }
  if (text.length <= LONGEST_CLUSTER) {
    const width = stringWidth(text); // short enough to hold no overlong cluster: measured whole, the common case
    if (width <= columns) return { text, width, whole: true };
  }
  let kept = '';
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const cluster = segment.length > LONGEST_CLUSTER ? REPLACEMENT : segment;
    const clusterWidth = stringWidth(cluster);
    if (width + clusterWidth > columns) return { text: kept, width, whole: false };
    kept += cluster;
    width += clusterWidth;
  }
  return { text: kept, width, whole: true };
}
