import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.skipIf(!hasChromium)('the published docs (dist/docs/index.html) in headless Chromium', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'meeting-docs-'));
  const html = join(outDir, 'index.html');
  const external: string[] = [];
  let browser: Browser;
  let page: Page;
  let seenText = '';

  beforeAll(async () => {
    // Built exactly as `npm run docs` builds it, into a temporary folder.
    const docs = [join(repoRoot, 'scripts/docs.mjs'), html];
    await run(process.execPath, docs, { cwd: repoRoot, timeoutMs: timeLimit(30_000) });
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
    // The page must be standalone: anything it asks of the network is recorded and refused.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    // As a reader would: open the tag in the sidebar, then the operation.
    await page.getByText(listOperation.tags[0], { exact: true }).first().click();
    await page.getByText(listOperation.summary, { exact: true }).first().click();
    await page
      .getByRole('heading', { name: listOperation.summary })
      .first()
      .waitFor({ state: 'visible', timeout: timeLimit(10_000) });
    // Redoc renders long schemas as they scroll into view: scroll to the end, keeping all the text shown.
    let previous = -1;
    for (let step = 0; step < 400; step++) {
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what a reader sees
      seenText += await page.evaluate(() => document.body.innerText);
      const y = await page.evaluate(() => {
        window.scrollBy(0, 700);
        return window.scrollY;
      });
      if (y === previous) break;
      previous = y;
      await page.waitForTimeout(30);
    }
  }, timeLimit(60_000));

  afterAll(async () => {
    await browser?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Shown at some point while scrolling through the operation, as a word of its own. */
  const shown = (text: string) =>
    new RegExp(`(^|[^A-Za-z0-9_])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`, 'm').test(seenText);

  it('loads nothing from the network (no external fonts or scripts)', () => {
    expect(external).toEqual([]);
  });

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
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what a reader sees
      const text = await page.evaluate(() => document.body.innerText);
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
      await section.waitFor({ state: 'visible', timeout: timeLimit(10_000) });
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

  it('saves a screenshot for people to look at', async () => {
    const shots = join(repoRoot, 'test-results');
    mkdirSync(shots, { recursive: true });
    const file = join(shots, 'docs.png');
    await page.getByText(listOperation.tags[0], { exact: true }).first().click();
    await page.getByText(listOperation.summary, { exact: true }).first().click();
    await page.getByRole('heading', { name: listOperation.summary }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: file });
    expect(existsSync(file)).toBe(true);
  });
});
