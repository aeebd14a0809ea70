// The docs site as a reader gets it: built exactly as `npm run docs` builds it (into a temporary folder), every
// internal link and anchor followed, the figures and exports it must show checked against their sources, then the
// landing page, a guide and both references opened in headless Chromium from a static server on 127.0.0.1, as any
// static host serves them, with every other request refused.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionTable, paginationOptionTable, watchOptionTable } from '../../src/options.js';
import { repoRoot } from '../support/paths.js';
import { run, timeLimit } from '../support/run.js';
import { bundledSpec, deref, listOperation } from '../support/spec.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `docs browser test skipped: no Chromium at ${CHROMIUM} ` +
      '(apt-get install chromium, or set CHROMIUM_PATH); .ci/run installs it',
  );
}

const site = mkdtempSync(join(tmpdir(), 'meeting-docs-'));
const landing = join(site, 'index.html');
const redocPage = join(site, 'http/index.html');
const apiIndex = join(site, 'api/index.html');

beforeAll(async () => {
  await run(process.execPath, [join(repoRoot, 'scripts/docs.mjs'), site], {
    cwd: repoRoot,
    timeoutMs: timeLimit(60_000),
  });
}, timeLimit(120_000));
afterAll(() => rmSync(site, { recursive: true, force: true }));

function filesOf(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => file.endsWith(extension) && statSync(file).isFile());
}

/** The page's markup without its scripts and styles (Redoc's inlined bundle is full of `href="` in strings). */
const markup = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<style\b[\s\S]*?<\/style>/gi, '');

describe('the docs site (npm run docs)', () => {
  it('has a landing page that links the guides and both references', () => {
    const html = markup(landing);
    for (const target of ['guides/calling-the-client.html', 'http/index.html', 'api/index.html']) {
      expect(html, target).toContain(`href="${target}"`);
    }
    const guides = readdirSync(join(repoRoot, 'docs/guides')).filter((file) => file.endsWith('.md'));
    for (const guide of guides) expect(html, guide).toContain(`href="guides/${guide.replace(/\.md$/, '.html')}"`);
  });

  it('has no broken internal link or anchor on any page', () => {
    const pages = filesOf(site, '.html');
    expect(pages.length).toBeGreaterThan(20);
    const idsOf = new Map<string, Set<string>>();
    const ids = (file: string) => {
      if (!idsOf.has(file)) {
        const text = file.endsWith('.html') ? markup(file) : readFileSync(file, 'utf8');
        idsOf.set(file, new Set([...text.matchAll(/\b(?:id|name)="([^"]+)"/g)].map((match) => match[1]!)));
      }
      return idsOf.get(file)!;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const [, attribute, value] of markup(page).matchAll(/\b(href|src)="([^"]*)"/g)) {
        if (/^([a-z]+:|\/\/)/i.test(value!)) continue; // http(s):, mailto:, data: are not the site's to check
        // Redoc's sidebar links are its router's paths (/authentication), followed by its script, not the browser.
        if (page === redocPage && value!.startsWith('/')) continue;
        checked++;
        const [path, fragment] = value!.split('#');
        const target = path ? resolve(dirname(page), decodeURIComponent(path)) : page;
        const where = `${relative(site, page)}: ${attribute}="${value}"`;
        if (!target.startsWith(site) || !existsSync(target) || !statSync(target).isFile()) broken.push(where);
        else if (fragment && !ids(target).has(decodeURIComponent(fragment))) broken.push(`${where} (no such anchor)`);
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(broken).toEqual([]);
  });

  it('README, CONTRIBUTING and CHANGELOG link files that exist, and headings that exist in them', () => {
    /** GitHub's heading anchors, as scripts/docs.mjs gives the guides' headings. */
    const slugs = (markdown: string) =>
      new Set(
        [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
          heading!
            .toLowerCase()
            .trim()
            .replace(/[^\p{L}\p{N}\s_-]/gu, '')
            .replace(/\s/g, '-'),
        ),
      );
    const broken: string[] = [];
    for (const document of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md']) {
      const text = readFileSync(join(repoRoot, document), 'utf8');
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)|^\[[^\]]+\]: (\S+)$/gm)].map((m) => (m[1] ?? m[2])!);
      expect(targets.length, document).toBeGreaterThan(3);
      for (const target of targets.filter((t) => !/^[a-z]+:/i.test(t))) {
        const [path, fragment] = target.split('#');
        const file = path ? join(repoRoot, path) : join(repoRoot, document);
        if (!existsSync(file)) broken.push(`${document}: ${target}`);
        else if (fragment && file.endsWith('.md') && !slugs(readFileSync(file, 'utf8')).has(fragment))
          broken.push(`${document}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('guides link each other and the references, and every guide page leads on to the next', () => {
    const guide = markup(join(site, 'guides/pagination.html'));
    expect(guide).toContain('href="../index.html"');
    expect(guide).toContain('href="../http/index.html"');
    expect(guide).toContain('href="../api/index.html"');
    expect(guide).toMatch(/rel="next" href="\.\.\/guides\/watching\.html"/);
    expect(guide).toMatch(/href="\.\.\/api\/interfaces\/[\w.-]*PaginationOptions\.html"/);
    // Both references link back to the site.
    expect(markup(redocPage)).toContain('href="../index.html"');
    expect(markup(apiIndex)).toContain('href="../index.html"');
    expect(markup(join(site, 'api/functions', readdirSync(join(site, 'api/functions'))[0]!))).toContain(
      'href="../../index.html"',
    );
  });

  it('shows the benchmark figures of bench/results.json, leaving no placeholder anywhere', () => {
    const results = JSON.parse(readFileSync(join(repoRoot, 'bench/results.json'), 'utf8'));
    const page = markup(join(site, 'guides/benchmarks.html'));
    // As marked writes text into HTML.
    const html = (text: string) =>
      text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
    for (const section of ['walk100k', 'watch100k', 'size']) {
      for (const [name, value] of Object.entries(results[section])) {
        expect(page, `${section}: ${name}`).toContain(`<td>${html(name)}</td>\n<td>${value}</td>`);
      }
    }
    expect(page).toContain(`${results.perCall['1-item page']['this client']} (rounds`);
    expect(page).toContain(results.machine.node);
    for (const file of filesOf(site, '.html').filter((f) => !f.includes('/api/') && !f.includes('/http/'))) {
      expect(readFileSync(file, 'utf8'), relative(site, file)).not.toMatch(/\{\{bench/);
    }
  });

  it('lists every client option in the guide, with the default the table in src/options.ts gives it', () => {
    const guide = readFileSync(join(repoRoot, 'docs/guides/calling-the-client.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Options'), guide.indexOf('## Input checks'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map(([, name, cell]) => [name!, cell!.trim()]);
    expect(rows.map(([name]) => name)).toEqual(Object.keys(clientOptionTable));
    for (const [name, cell] of rows) {
      const value = clientOptionTable[name as keyof typeof clientOptionTable].default;
      if (typeof value === 'number' || typeof value === 'boolean')
        expect(cell!.split(' ')[0], name).toBe(String(value));
      else if (typeof value === 'string') expect(cell, name).toBe(`\`${value}\``);
    }
  });

  it('lists exactly the options of a walk and of a watch in their guides', () => {
    const optionsIn = (guide: string) => {
      const text = readFileSync(join(repoRoot, `docs/guides/${guide}.md`), 'utf8');
      const section = text.slice(text.indexOf('## Options'), text.indexOf('\n## ', text.indexOf('## Options') + 1));
      const firstCells = [...section.matchAll(/^\| ([^|]+) \|/gm)].map(([, cell]) => cell!);
      return firstCells.flatMap((cell) => [...cell.matchAll(/`(\w+)`/g)].map(([, name]) => name!)).sort();
    };
    expect(optionsIn('pagination')).toEqual(Object.keys(paginationOptionTable).sort());
    expect(optionsIn('watching')).toEqual(Object.keys(watchOptionTable).sort());
  });

  it('has a page in the TypeScript reference for every export of every entry point', () => {
    const entries = ['src/index.ts', 'src/mock/index.ts', 'src/mock/msw.ts'].map((file) => join(repoRoot, file));
    const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: 100 });
    const checker = program.getTypeChecker();
    const pages = new Set(filesOf(join(site, 'api'), '.html').map((file) => file.split('.').at(-2)));
    const names = entries.flatMap((entry) =>
      checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!).map((s) => s.name),
    );
    expect(names).toContain('createMeetingClient');
    expect(names).toContain('startMockServer');
    expect(names).toContain('createMswHandlers');
    expect(names.filter((name) => !pages.has(name))).toEqual([]);
  });
});

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
};

/** The folder as a plain static host serves it: files as they are, `dir/` as `dir/index.html`, nothing else. */
function serveStatic(folder: string): Server {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = resolve(folder, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (!file.startsWith(folder + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
}

describe.skipIf(!hasChromium)('the docs site in headless Chromium', () => {
  const external: string[] = [];
  const consoleErrors: string[] = [];
  const server = serveStatic(site);
  let origin = '';
  let browser: Browser;
  let page: Page;
  let seenText = '';

  const urlOf = (file: string) => `${origin}/${relative(site, file)}`;
  const open = async (file: string) => {
    await page.goto(urlOf(file), { waitUntil: 'load' });
  };
  /** The text as rendered, what a reader sees. */
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what a reader sees
  const visibleText = () => page.evaluate(() => document.body.innerText);

  beforeAll(async () => {
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: timeLimit(20_000),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    // The site must be standalone: anything it asks of another host is recorded and refused.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      external.push(url);
      return route.abort();
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((closed) => server.close(closed));
  });

  it('goes from the landing page to a guide, within it to a section, and on to the next guide', async () => {
    await open(landing);
    expect(await page.title()).toBe('huawei-meeting-online-client');
    await page.locator('main').getByRole('link', { name: 'Pagination', exact: true }).click();
    await page.waitForURL(/guides\/pagination\.html$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Pagination');
    await page.locator('.sidebar').getByRole('link', { name: 'Memory', exact: true }).click();
    await page.waitForURL(/guides\/pagination\.html#memory$/);
    await page.getByRole('link', { name: /Watching the list →/ }).click();
    await page.waitForURL(/guides\/watching\.html$/);
    expect(await visibleText()).toContain('No false events');
  });

  it('goes from a guide to the TypeScript reference of an export, and back home', async () => {
    await open(join(site, 'guides/calling-the-client.html'));
    await page.locator('main').getByRole('link', { name: 'MeetingClientOptions', exact: true }).click();
    await page.waitForURL(/api\/interfaces\/[\w.-]*MeetingClientOptions\.html$/);
    expect(await visibleText()).toContain('timeoutMs');
    await page.getByRole('link', { name: 'Docs home', exact: true }).first().click();
    await page.waitForURL(/\/index\.html$/);
    expect(page.url()).toBe(urlOf(landing));
  });

  it('opens the TypeScript reference with its navigation and search working', async () => {
    await open(apiIndex);
    await page.locator('#tsd-search-trigger').click();
    await page.locator('#tsd-search-input').fill('startMockServer');
    await page.locator('#tsd-search-results a').filter({ hasText: 'startMockServer' }).first().click();
    await page.waitForURL(/functions\/[\w.-]*startMockServer\.html/);
    expect(await visibleText()).toContain('MockServerOptions');
    await page.getByRole('link', { name: 'createMeetingClient' }).first().click();
    await page.waitForURL(/functions\/[\w.-]*createMeetingClient\.html$/);
    expect(await visibleText()).toContain('MeetingClientOptions');
  });

  it('goes from the landing page to the HTTP reference', async () => {
    await open(landing);
    await page.locator('.site-nav').getByRole('link', { name: 'HTTP API reference' }).click();
    await page.waitForURL(/http\/index\.html$/);
    await page.getByText(listOperation.tags[0], { exact: true }).first().waitFor({ timeout: 20_000 });
  });

  describe('the HTTP reference (Redoc)', () => {
    beforeAll(async () => {
      await open(redocPage);
      // As a reader would: open the tag in the sidebar, then the operation.
      await page.getByText(listOperation.tags[0], { exact: true }).first().click();
      await page.getByText(listOperation.summary, { exact: true }).first().click();
      await page
        .getByRole('heading', { name: listOperation.summary })
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
      // Redoc renders long schemas as they scroll into view, and on a busy machine the rest of the page seconds
      // after the first part (seen in CI: the scroll reached the end before the response schema existed). So scroll
      // from top to end, keeping all the text shown, again until every word the tests below look for has been shown
      // or the time limit has passed; the tests then fail on whatever never rendered.
      const lookedFor = [
        ...listOperation.parameters.map(deref).map((p: { name: string }) => p.name),
        ...Object.keys(listOperation.responses),
        ...Object.keys(bundledSpec.components.schemas.ConferenceInfo.properties),
        'terminlCount',
      ];
      const deadline = performance.now() + timeLimit(30_000);
      for (;;) {
        await page.evaluate(() => window.scrollTo(0, 0));
        let previous = -1;
        for (let step = 0; step < 400; step++) {
          seenText += await visibleText();
          const y = await page.evaluate(() => {
            window.scrollBy(0, 700);
            return window.scrollY;
          });
          if (y === previous) break;
          previous = y;
          await page.waitForTimeout(30);
        }
        if (lookedFor.every(shown) || performance.now() > deadline) break;
        await page.waitForTimeout(250);
      }
    }, timeLimit(60_000));

    /** Shown at some point while scrolling through the operation, as a word of its own. */
    const shown = (text: string) =>
      new RegExp(`(^|[^A-Za-z0-9_])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`, 'm').test(
        seenText,
      );

    it('shows the operation, its path and every parameter', () => {
      expect(shown(listOperation.summary)).toBe(true);
      expect(shown('/v1/mmc/management/conferences/online')).toBe(true);
      const missing = listOperation.parameters
        .map(deref)
        .map((p: { name: string }) => p.name)
        .filter((name: string) => !shown(name));
      expect(missing).toEqual([]);
    });

    it('shows every documented response status, and an error body when its status is opened', async () => {
      const statuses = Object.keys(listOperation.responses);
      expect(statuses.filter((status) => !shown(status))).toEqual([]);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        await page.getByRole('button', { name: status, exact: true }).first().click();
        const text = await visibleText();
        expect(text, status).toContain('error_code');
        expect(text, status).toContain(deref(listOperation.responses[status]).description.split(':')[0]);
      }
    });

    it('shows every ConferenceInfo field', () => {
      const fields = Object.keys(bundledSpec.components.schemas.ConferenceInfo.properties);
      expect(fields.filter((field) => !shown(field))).toEqual([]);
      expect(shown('terminlCount')).toBe(true);
    });

    it('shows how to call each operation: TypeScript with this client, the CLI and curl (x-codeSamples)', async () => {
      const operations = Object.values(bundledSpec.paths).flatMap((item) => Object.values(item));
      expect(operations).toHaveLength(3);
      for (const operation of operations) {
        const slug = (text: string) => text.toLowerCase().replace(/\s+/g, '-');
        await page.getByText(operation.tags[0], { exact: true }).first().click();
        await page.getByText(operation.summary, { exact: true }).first().click();
        const section = page.locator(
          `[data-section-id="/${slug(operation.tags[0])}/${operation.operationId.toLowerCase()}"]`,
        );
        await section.waitFor({ state: 'visible', timeout: 20_000 });
        const samples = operation['x-codeSamples'] as { lang: string; label: string; source: string }[];
        expect(samples.map((sample) => sample.label)).toEqual(['TypeScript', 'CLI', 'curl']);
        for (const sample of samples) {
          await section
            .getByRole('button', { name: /^(TypeScript|CLI|curl)$/ })
            .first()
            .click();
          await page.getByRole('menuitem', { name: sample.label, exact: true }).first().click();
          // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what a reader sees
          const text = await section.evaluate((element) => (element as HTMLElement).innerText);
          const line = sample.source.split('\n').find((l) => l.trim() !== '')!;
          expect(text, `${operation.operationId} ${sample.label}`).toContain(line.trim().slice(0, 40));
        }
      }
    });

    it('links back to the rest of the site', async () => {
      await page.locator('#site-links').getByRole('link', { name: 'Docs home' }).click();
      await page.waitForURL(/\/index\.html$/);
      expect(page.url()).toBe(urlOf(landing));
    });
  });

  it('saves screenshots for people to look at', async () => {
    const shots = join(repoRoot, 'test-results');
    mkdirSync(shots, { recursive: true });
    await open(join(site, 'guides/watching.html'));
    await page.screenshot({ path: join(shots, 'docs-guide.png') });
    await open(redocPage);
    await page.getByText(listOperation.tags[0], { exact: true }).first().click();
    await page.getByText(listOperation.summary, { exact: true }).first().click();
    await page.getByRole('heading', { name: listOperation.summary }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'docs.png') });
    expect(existsSync(join(shots, 'docs.png'))).toBe(true);
  });

  // Last, so that it has seen every page the tests above opened.
  it('loads nothing from the network and logs no console error on any page opened', () => {
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
