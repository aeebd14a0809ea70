#!/usr/bin/env node
// Builds the docs site, one static folder that any host (or file://) can serve, with nothing from a CDN:
//   index.html        the landing page (docs/index.md)
//   guides/*.html     the guides (docs/guides/*.md), in the order docs/index.md links them
//   http/index.html   the HTTP API reference: Redoc from the bundled spec, with its x-codeSamples
//   api/              the TypeScript API reference: TypeDoc from the source's TSDoc (fails on an undocumented export)
// Usage: node scripts/docs.mjs [output folder]   (default dist/docs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist/docs'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const repoUrl = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const SITE = 'huawei-meeting-online-client';
// TypeDoc writes navigation links as given; this stand-in for the site's root becomes a relative path per page.
const SITE_ROOT = 'https://site-root.invalid/';

const fail = (message) => {
  console.error(`docs: ${message}`);
  process.exit(1);
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// 1. The TypeScript reference first: it is the step that fails on an undocumented export, and the guides' `api:`
//    links are resolved against what it wrote.
const apiDir = join(out, 'api');
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', join(root, 'typedoc.json'), '--out', apiDir],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
} catch {
  fail('TypeDoc failed (above: every export needs a TSDoc comment)');
}
const apiPages = htmlFiles(apiDir);
for (const page of apiPages) {
  const depth = relative(apiDir, page).split('/').length; // api/x.html → 1, api/functions/x.html → 2
  const html = readFileSync(page, 'utf8').replaceAll(SITE_ROOT, '../'.repeat(depth));
  writeFileSync(page, html);
}
/** `api:createMeetingClient` → the TypeDoc page of that export (classes/…, functions/…, interfaces/…, types/…). */
const apiIndex = new Map();
for (const page of apiPages) {
  const name = posix.basename(page, '.html').split('.').pop();
  if (relative(apiDir, page).includes('/') && !apiIndex.has(name)) apiIndex.set(name, relative(out, page));
}

// 2. The HTTP reference, as before: Redocly build-docs with Redoc inlined, settings from redocly.yaml.
const httpPage = join(out, 'http/index.html');
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@redocly/cli/bin/cli.js'),
    'build-docs',
    join(root, 'generated/openapi.yaml'),
    '--inlineBundle',
    '--output',
    httpPage,
    // redocly.yaml holds the docs' settings too (the order and labels of the request samples).
    '--config',
    join(root, 'redocly.yaml'),
    '--lint-config',
    'off',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
// Redoc 3 shows its logo from a CDN; an empty inline SVG keeps the page from touching the network.
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
const backLinks =
  '<nav id="site-links" style="position:fixed;right:12px;bottom:12px;z-index:10000;font:14px sans-serif;' +
  'background:#fff;border:1px solid #ccc;border-radius:6px;padding:6px 10px">' +
  '<a href="../index.html">Docs home</a> · <a href="../guides/calling-the-client.html">Guides</a> · ' +
  '<a href="../api/index.html">TypeScript API</a></nav>';
const redoc = readFileSync(httpPage, 'utf8')
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', EMPTY_SVG)
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', EMPTY_SVG)
  .replace('<body>', `<body>${backLinks}`); // the first <body> is the page's; later ones are inside scripts
writeFileSync(httpPage, redoc);

// 3. The landing page and the guides, from Markdown.
const docsDir = join(root, 'docs');
const bench = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8'));
const landingSource = readFileSync(join(docsDir, 'index.md'), 'utf8');
const guideFiles = readdirSync(join(docsDir, 'guides')).filter((file) => file.endsWith('.md'));
// The landing page's links to guides are the guides' order; a guide it does not link is a mistake.
const order = [...landingSource.matchAll(/\]\(guides\/([\w-]+\.md)\)/g)].map((match) => match[1]);
const unlisted = guideFiles.filter((file) => !order.includes(file));
if (unlisted.length) fail(`docs/index.md does not link ${unlisted.join(', ')}`);
const missing = order.filter((file) => !guideFiles.includes(file));
if (missing.length) fail(`docs/index.md links guides that do not exist: ${missing.join(', ')}`);
const guides = [...new Set(order)].map((file) => {
  const source = readFileSync(join(docsDir, 'guides', file), 'utf8');
  const title = /^# (.+)$/m.exec(source)?.[1];
  if (!title) fail(`docs/guides/${file} has no "# Title" line`);
  return { file, source, title: title.replace(/`/g, ''), href: `guides/${file.replace(/\.md$/, '.html')}` };
});

const pages = [{ file: 'index.md', source: landingSource, title: SITE, href: 'index.html' }, ...guides];
for (const [index, page] of pages.entries()) {
  const depth = page.href.split('/').length - 1;
  const up = '../'.repeat(depth);
  const sourceDir = depth ? 'docs/guides' : 'docs';
  const { html, toc } = render(withBenchFigures(page.source, page.file), sourceDir, up);
  const previous = index > 1 ? pages[index - 1] : undefined;
  const next = pages[index + 1];
  mkdirSync(dirname(join(out, page.href)), { recursive: true });
  writeFileSync(
    join(out, page.href),
    layout({ page, up, html, toc, previous: previous ?? (index === 1 ? pages[0] : undefined), next }),
  );
}
writeFileSync(join(out, 'style.css'), readFileSync(join(docsDir, 'style.css')));
console.log(
  `docs: ${out} (landing page, ${guides.length} guides, HTTP reference, ${apiPages.length} TypeScript reference pages)`,
);

// ——— helpers ———

function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => file.endsWith('.html') && statSync(file).isFile());
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; a repeat gets -1, -2, … */
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text
      .toLowerCase()
      .trim()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count ? `${base}-${count}` : base;
  };
}

/**
 * Figures from bench/results.json, never retyped: `{{bench:walk100k:sequential ms}}` is one value,
 * `{{bench-table:walk100k}}` a table of a section, `{{bench-machine}}` the machine and run.
 */
function withBenchFigures(markdown, file) {
  const section = (name) => bench[name] ?? fail(`${file}: bench/results.json has no section "${name}"`);
  return markdown
    .replace(/\{\{bench-machine\}\}/g, () => {
      const m = bench.machine;
      const run = `${m.rounds} rounds, medians; run of ${m.date.slice(0, 10)}`;
      return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; ${run}`;
    })
    .replace(/\{\{bench:(\w+):([^}]+)\}\}/g, (_, name, key) => {
      // A nested figure: {{bench:perCall:1-item page:this client}}; a key that holds a colon itself ("node:http")
      // is looked up whole first.
      const value = section(name)[key] ?? key.split(':').reduce((object, part) => object?.[part], section(name));
      if (value === undefined || typeof value === 'object') fail(`${file}: bench/results.json has no ${name}/${key}`);
      return String(value);
    })
    .replace(/\{\{bench-table:(\w+)\}\}/g, (_, name) => {
      const data = section(name);
      if (name === 'perCall') {
        const pageKinds = Object.keys(data).filter((key) => !key.includes('('));
        const clients = Object.keys(data[pageKinds[0]]);
        const head = `| per call, ratio to raw fetch + res.json() | ${pageKinds.join(' | ')} |`;
        const rows = clients.map(
          (client) =>
            `| ${client} | ${pageKinds
              .map(
                (kind) =>
                  `${data[kind][client]} (rounds ${data[`${kind} (spread of round ratios)`][client]}; ` +
                  `${data[`${kind} (µs per call)`][client]} µs)`,
              )
              .join(' | ')} |`,
        );
        return [head, `| --- |${' --- |'.repeat(pageKinds.length)}`, ...rows].join('\n');
      }
      return ['| measure | value |', '| --- | --- |', ...Object.entries(data).map(([k, v]) => `| ${k} | ${v} |`)].join(
        '\n',
      );
    });
}

/**
 * Markdown to HTML. Links are written so that they also work when the Markdown is read on the git host:
 * `other.md#part` → `other.html#part`; `api:Name` → the TypeScript reference of that export; a path outside docs/
 * (`../../src/options.ts`) → that file on the git host.
 */
function render(markdown, sourceDir, up) {
  const slug = slugger();
  const toc = [];
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth, text }) {
        const id = slug(text);
        const inner = this.parser.parseInline(tokens);
        if (depth === 2) toc.push({ id, inner });
        return `<h${depth} id="${id}"><a class="anchor" href="#${id}" aria-hidden="true">#</a>${inner}</h${depth}>\n`;
      },
    },
    walkTokens(token) {
      if (token.type !== 'link') return;
      token.href = siteHref(token.href, sourceDir, up);
    },
  });
  return { html: marked.parse(markdown), toc };
}

function siteHref(href, sourceDir, up) {
  if (/^(https?:|mailto:|#)/.test(href)) return href;
  if (href.startsWith('api:')) {
    const target = apiIndex.get(href.slice(4));
    if (!target) fail(`link ${href}: no such export in the TypeScript reference`);
    return up + target;
  }
  const [path, hash] = href.split('#');
  const inRepo = posix.normalize(posix.join(sourceDir, path));
  if (inRepo.startsWith('docs/') && inRepo.endsWith('.md')) {
    return `${up}${inRepo.slice('docs/'.length).replace(/\.md$/, '.html')}${hash === undefined ? '' : `#${hash}`}`;
  }
  if (inRepo.startsWith('docs/')) return href; // a page of the site itself (../http/index.html, ../api/…)
  if (!existsSync(join(root, inRepo))) fail(`link ${href} in ${sourceDir}: no such file ${inRepo}`);
  return `${repoUrl}/blob/HEAD/${inRepo}${hash === undefined ? '' : `#${hash}`}`;
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

function layout({ page, up, html, toc, previous, next }) {
  const title = page.href === 'index.html' ? SITE : `${escapeHtml(page.title)} · ${SITE}`;
  const guideLinks = guides
    .map((guide) => {
      const current = guide === page ? ' aria-current="page"' : '';
      return `<li><a href="${up}${guide.href}"${current}>${escapeHtml(guide.title)}</a></li>`;
    })
    .join('\n');
  const onThisPage = toc.length
    ? `<h2>On this page</h2><ul>${toc.map((h) => `<li><a href="#${h.id}">${h.inner}</a></li>`).join('')}</ul>`
    : '';
  const pager = [
    previous ? `<a rel="prev" href="${up}${previous.href}">← ${escapeHtml(previous.title)}</a>` : '<span></span>',
    next ? `<a rel="next" href="${up}${next.href}">${escapeHtml(next.title)} →</a>` : '<span></span>',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${up}style.css">
</head>
<body>
<header class="site-header">
<a class="site-name" href="${up}index.html">${SITE}</a>
<nav class="site-nav" aria-label="Site">
<a href="${up}index.html">Home</a>
<a href="${up}${guides[0].href}">Guides</a>
<a href="${up}http/index.html">HTTP API reference</a>
<a href="${up}api/index.html">TypeScript API reference</a>
</nav>
</header>
<div class="site-body">
<nav class="sidebar" aria-label="Guides">
<h2>Guides</h2>
<ul>
${guideLinks}
</ul>
${onThisPage}
</nav>
<main>
${html}
<nav class="pager" aria-label="Previous and next">${pager}</nav>
</main>
</div>
</body>
</html>
`;
}
