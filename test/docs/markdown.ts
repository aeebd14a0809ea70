// The code blocks of a Markdown file, for the tests that compile and run what the README and the guides show.

/** Every `ts` (or `typescript`) fenced block, with the line of its opening fence (1-based). */
export function readmeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const pattern = /^```(ts|typescript)\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[2]! });
  }
  return blocks;
}
