/// <reference lib="dom" />
/**
 * Headless Chromium from the system's packages (Debian: `apt-get install chromium`), driven by
 * puppeteer-core: nothing is downloaded. QS_CHROMIUM names another binary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = process.env.QS_CHROMIUM || CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error('no Chromium: apt-get install -y chromium (or set QS_CHROMIUM to a Chromium binary)');
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI has no user namespace sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=en-IN'],
  });
}

const ROOT = path.join(__dirname, '..', '..', '..');

/** The dashboard as `npm start` builds it: only when its sources are newer than the built page. */
export async function buildDashboard(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'web', 'build.js'), '--if-stale'], { cwd: ROOT });
}

export const LAPTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now (injected past the page's CSP). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<unknown> } }).axe;
    const r = (await axe.run(document, { resultTypes: ['violations'] })) as { violations: AxeViolation[] };
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Screenshots the tests take for the README and reviewers: docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ROOT, 'docs', 'screenshots', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

/** Text of every element matching `selector`. */
export const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
