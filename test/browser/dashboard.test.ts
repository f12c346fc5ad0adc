/// <reference lib="dom" />
/**
 * The tenant dashboard in headless Chromium (Debian's package, puppeteer-core) against the real API,
 * Postgres and Temporal: log in; a decision arrives live during an accelerated trading day and opens
 * its why; the kill switch goes through its confirmation, and a trader does not see what the role
 * forbids; another tenant's URL shows nothing of it; axe-core finds no serious violation at laptop
 * and phone widths. Screenshots go to docs/screenshots/.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Client } from '@temporalio/client';
import type { ApiServer } from '../../api/server';
import type { ModelCache } from '../../ml/model-cache';
import { startWorkflow } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { dayStatusQuery, tradingDayWorkflowId } from '../../contracts/trading-day';
import { withTenant } from '../../db/tenant';
import { createUser } from '../../db/tenants';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { testClient, testPool } from '../support/env';
import type { TenantView } from '../../contracts/platform';
import { FAST } from '../support/orders-env';
import { buildDashboard, launchBrowser, LAPTOP, PHONE, screenshot, seriousViolations, texts } from './support/browser';
import {
  browserTenant,
  BrowserTenant,
  decisionModels,
  PASSWORD,
  SESSION_SECRET,
  startApi,
  TEMPORAL_UI_URL,
  withWorkers,
} from './support/dashboard-env';
import { issueSession } from '../../api/session';
import { testEnv } from '../support/env';

jest.setTimeout(180_000);

const DATE = '2026-05-06';
const GREEKS = ['delta', 'gamma', 'vega', 'theta'] as const;
type Greek = (typeof GREEKS)[number];

describe('the tenant dashboard in a browser', () => {
  const pool = testPool('app');
  let api: ApiServer;
  let browser: Browser;
  let client: Client;
  let models: ModelCache;
  let home: BrowserTenant;
  let other: BrowserTenant;

  beforeAll(async () => {
    const t0 = Date.now();
    const took = (what: string) => process.stderr.write(`[browser] ${what} after ${Date.now() - t0} ms\n`);
    // The page builds in a child process while this one starts the API and trains (when it must).
    const built = buildDashboard().then(() => took('dashboard built'));
    [api, browser, client, home, other] = await Promise.all([
      startApi(),
      launchBrowser(),
      testClient(),
      browserTenant(pool, 'web'),
      browserTenant(pool, 'webx'),
    ]);
    models = await decisionModels(pool, home.id);
    took('API, Chromium, tenants and models ready');
    await built;
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await models?.stop();
  });

  /** A fresh browser context (its own cookies) logged in through the page's form. */
  async function loggedIn(email: string, viewport = LAPTOP, query = ''): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(viewport);
    await page.goto(`${api.url}/t/${home.slug}/${query}`);
    await page.waitForSelector('input[name=email]');
    await page.type('input[name=email]', email);
    await page.type('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=link-status]');
    await page
      .waitForFunction(() => document.querySelector('[data-testid=link-status]')?.textContent === 'Live')
      .catch(async (e: Error) => {
        const shown = await page.$eval('[data-testid=link-status]', (el) => el.textContent).catch(() => null);
        throw new Error(`${e.message}: the live link shows ${JSON.stringify(shown)}`);
      });
    return page;
  }

  it('logs in through the form (a wrong password is refused on the page), then shows the tenant live', async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport(LAPTOP);
    const res = await page.goto(`${api.url}/t/${home.slug}/`);
    expect(res?.status()).toBe(200);
    await page.waitForSelector('input[name=email]');
    expect(await page.$eval('input[name=tenant]', (e) => (e as HTMLInputElement).value)).toBe(home.slug);
    expect(await seriousViolations(page)).toEqual([]);
    await page.type('input[name=email]', home.users.operator);
    await page.type('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await texts(page, '[role=alert]')).toEqual(['tenant, email or password is wrong']);
    await page.$eval('input[name=password]', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('h1');
    await page.waitForFunction((name) => document.querySelector('h1')?.textContent === name, {}, home.name);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-status]')?.textContent === 'Live');
    expect(await texts(page, '[data-testid=role]')).toEqual(['operator']);
    expect(await texts(page, '[data-testid=wall]')).toHaveLength(7);
    await page.close();
  });

  /** Confirms the open dialog, with a reason when it asks for one, and waits for it to close. */
  async function confirm(page: Page, reason?: string) {
    await page.waitForSelector('dialog[open] button[type=submit]');
    if (reason) await page.type('dialog[open] textarea[name=reason]', reason);
    await page.click('dialog[open] button[type=submit]');
    await page.waitForSelector('dialog[open]', { hidden: true, timeout: 130_000 });
  }
  const dayState = (page: Page, text: RegExp) =>
    page.waitForFunction(
      (re) => new RegExp(re).test(document.querySelector('[data-testid=day-state]')?.textContent ?? ''),
      { timeout: 60_000 },
      text.source,
    );

  it('a decision arrives live during an accelerated day; its why; pause, flatten, halt (confirmed)', async () => {
    const ops = await loggedIn(home.users.operator, LAPTOP, `?date=${DATE}`);
    const trader = await loggedIn(home.users.trader, LAPTOP, `?date=${DATE}`);
    await ops.waitForFunction(() => document.querySelector('#decisions')?.textContent?.includes('No decisions yet'));
    const t0 = Date.now();
    await withWorkers(pool, models, async () => {
      const handle = await startWorkflow(client, 'tradingDay', {
        taskQueue: TASK_QUEUES.trading,
        workflowId: tradingDayWorkflowId(home.id, DATE),
        args: [{ tenantId: home.id, date: DATE, mode: 'accelerated', cadenceMinutes: 15, seed: 7, orderOptions: FAST }],
        workflowExecutionTimeout: '10 minutes',
      });
      try {
        // No reload: the feed hears of it over Socket.IO.
        await ops.waitForSelector('[data-testid=decision]', { timeout: 60_000 });
        process.stderr.write(`[browser] first decision on the page after ${Date.now() - t0} ms\n`);
        // A trader may pause (market time then stands still), never halt or flatten.
        await trader.waitForSelector('[data-control=pause]');
        expect(await trader.$$('[data-control=halt], [data-control=flatten]')).toHaveLength(0);
        await trader.click('[data-control=pause]');
        await confirm(trader);
        await dayState(trader, /paused/);
        await dayState(ops, /paused/);
        // The opening trade's orders reach the blotter live, and its legs are open positions, priced with
        // their greeks and a portfolio total.
        await ops.waitForSelector('[data-testid=order-row]', { timeout: 60_000 });
        await ops.waitForSelector('[data-testid=position-row]', { timeout: 30_000 });
        expect(await texts(ops, '#positions tfoot th')).toEqual([expect.stringMatching(/^Portfolio/)]);
        // The entry's row moves on live (no reload) once its placement records the outcome.
        await ops.waitForSelector('[data-testid=decision][data-status=filled]', { timeout: 60_000 });
        // Its legs are priced on the day's own market: every greek non-zero, totals the sum of the rows.
        const book = (await ops.evaluate(
          (slug) => fetch(`/t/${slug}/api/v1/positions/greeks`).then((r) => r.json()),
          home.slug,
        )) as {
          positions: Array<{ quantity: number; position: Record<Greek, number> | null }>;
          totals: Record<Greek, number>;
        };
        const held = book.positions.filter((p) => p.quantity !== 0);
        expect(held.length).toBeGreaterThan(0);
        for (const g of GREEKS) {
          for (const p of held) expect([g, Math.abs(p.position?.[g] ?? 0) > 0]).toEqual([g, true]);
          expect(book.totals[g]).toBeCloseTo(
            held.reduce((sum, p) => sum + p.position![g], 0),
            4,
          );
        }
        // The page shows them too: no total reads 0.
        await ops.waitForFunction(() =>
          Array.from(document.querySelectorAll('#positions tfoot td')).every(
            (td) => !/^0?$/.test(td.textContent!.trim()),
          ),
        );
        // A platform operator's list shows the running day: its state, paused, from the workflow itself.
        const platform = issueSession(SESSION_SECRET, { userId: 1, tenantId: PLATFORM_TENANT_ID, role: 'operator' });
        const listed = (await fetch(`${api.url}/api/v1/tenants?date=${DATE}`, {
          headers: { authorization: `Bearer ${platform}` },
        }).then((r) => r.json())) as { tenants: TenantView[] };
        expect(listed.tenants.find((t) => t.slug === home.slug)?.day).toMatchObject({
          running: true,
          state: 'ACTIVE',
          paused: true,
          date: DATE,
        });
        await screenshot(ops, 'dashboard');
        await ops.waitForSelector('[data-control=flatten]');
        await ops.click('[data-control=flatten]');
        await confirm(ops, 'browser test: flatten');
        await ops.click('[data-control=halt]');
        await confirm(ops, 'browser test: halt');
        await dayState(ops, /^HALTED/);
        await ops.waitForSelector('[data-testid=position-row]', { hidden: true, timeout: 30_000 });
        const status = await handle.query(dayStatusQuery);
        expect(status.state).toBe('HALTED');
        expect(status.positions.filter((p) => p.quantity !== 0)).toEqual([]);
      } finally {
        await handle.terminate('browser test: done').catch(() => undefined);
      }
    });
    await trader.close();
    expect(await texts(ops, '[data-testid=decision]')).not.toHaveLength(0);
    // The walls the day's decisions reached, and the models serving the tenant.
    await ops.waitForFunction(() => document.querySelector('#walls')?.textContent?.includes('passing'));
    expect(await texts(ops, '[data-testid=model]')).toContainEqual(expect.stringMatching(/^signal_stack v\d+/));
    // The day's first decision (the oldest in the feed): an entry or an abstention, with its whole why.
    await ops.click('[data-testid=decision]:last-child button');
    await ops.waitForSelector('[data-testid=decision-why]');
    // Every wall the decision reached with its verdict, and every model with its SHA-256.
    const id = await ops.$eval('#why-title', (h) => h.textContent!.replace(/^Why: /, ''));
    const shown = (await ops.evaluate(
      (slug, decisionId) => fetch(`/t/${slug}/api/v1/decisions/${decisionId}`).then((r) => r.json()),
      home.slug,
      id,
    )) as { decision: { gates: unknown[]; models: unknown[]; workflowId: string; runId: string } };
    // Its workflow in the Temporal Web UI (QS_TEMPORAL_UI_URL): namespace, workflow id and run id.
    const { workflowId, runId } = shown.decision;
    expect(await ops.$$eval('[data-testid=decision-why] a', (as) => as.map((a) => a.getAttribute('href')))).toContain(
      `${TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(testEnv().namespace)}/workflows/` +
        `${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`,
    );
    expect(await texts(ops, '[data-testid=why-wall] th')).toHaveLength(shown.decision.gates.length);
    const modelLines = await texts(ops, '#why-models ~ ul li');
    expect(modelLines).toHaveLength(shown.decision.models.length);
    for (const m of modelLines) expect(m).toMatch(/sha256 [0-9a-f]{64}/);
    expect(await seriousViolations(ops)).toEqual([]);
    await ops.setViewport({ ...LAPTOP, height: 2000 }); // the whole why in one picture
    await screenshot(ops, 'decision-why');
    await ops.keyboard.press('Escape');
    await ops.waitForSelector('dialog[open]', { hidden: true });
    await ops.close();
  });

  it('the kill switch goes through its confirmation; a trader may set one but does not see Clear', async () => {
    const trader = await loggedIn(home.users.trader);
    expect(await texts(trader, '[data-testid=trading-state]')).toEqual(['Accepting new risk']);
    await trader.click('#state button.danger');
    await trader.waitForSelector('dialog[open] textarea[name=reason]');
    // The confirmation refuses an empty reason (the browser's own check) and sends nothing.
    await trader.click('dialog[open] button[type=submit]');
    expect(await trader.$('dialog[open]')).not.toBeNull();
    await trader.type('dialog[open] textarea[name=reason]', 'browser test: stop');
    await trader.click('dialog[open] button[type=submit]');
    await trader.waitForSelector('dialog[open]', { hidden: true });
    await trader.waitForFunction(
      () => document.querySelector('[data-testid=trading-state]')?.textContent === 'New risk stopped (kill switch)',
    );
    expect(await texts(trader, '#state .switches li')).toEqual([expect.stringContaining('browser test: stop')]);
    expect(await trader.$$('#state .switches button')).toHaveLength(0);
    await trader.close();

    const ops = await loggedIn(home.users.operator);
    await ops.waitForSelector('#state .switches button');
    await ops.click('#state .switches button');
    await ops.waitForSelector('dialog[open] textarea[name=reason]');
    await ops.type('dialog[open] textarea[name=reason]', 'browser test: resume');
    await ops.click('dialog[open] button[type=submit]');
    await ops.waitForFunction(
      () => document.querySelector('[data-testid=trading-state]')?.textContent === 'Accepting new risk',
    );
    await ops.close();
  });

  it('logs out: the page asks for a login again, and the old session is refused even if kept', async () => {
    const page = await loggedIn(home.users.trader);
    const kept = (await page.cookies()).find((c) => c.name === 'qs_session')?.value;
    expect(kept).toBeDefined();
    // Another tab of the same session, live (a tab in the background runs no animation frames: poll).
    const tab = await page.browserContext().newPage();
    await tab.goto(`${api.url}/t/${home.slug}/`);
    const linkShows = (p: Page, text: string) =>
      p.waitForFunction(
        (t) => document.querySelector('[data-testid=link-status]')?.textContent === t,
        { polling: 200, timeout: 20_000 },
        text,
      );
    await linkShows(tab, 'Live');
    await page.bringToFront();
    await page.click('[data-testid=logout]');
    await page.waitForSelector('input[name=password]');
    // The server closed the other tab's live link: it says so instead of trying forever.
    await linkShows(tab, 'Live updates refused: log in again');
    await tab.close();
    expect(await page.$('[data-testid=link-status]')).toBeNull();
    expect((await page.cookies()).find((c) => c.name === 'qs_session')).toBeUndefined();
    await page.reload();
    await page.waitForSelector('input[name=password]');
    const me = await fetch(`${api.url}/t/${home.slug}/api/v1/me`, { headers: { authorization: `Bearer ${kept}` } });
    expect(me.status).toBe(401);
    await page.close();
  });

  it("another tenant's URL shows nothing of that tenant", async () => {
    const page = await loggedIn(home.users.operator);
    const res = await page.goto(`${api.url}/t/${other.slug}/`);
    expect(res?.status()).toBe(200); // the page itself; the API answers 404 for the tenant
    await page.waitForSelector('[data-testid=no-tenant]');
    const body = await page.$eval('body', (b) => b.innerText);
    expect(body).not.toContain(other.name);
    expect(await page.$('[data-testid=decision], [data-testid=order-row], #state')).toBeNull();
    // Its API is closed to this session too.
    const status = await page.evaluate((slug) => fetch(`/t/${slug}/api/v1/orders`).then((r) => r.status), other.slug);
    expect(status).toBe(404);
    await page.close();
  });

  it("a platform operator's home opens any tenant's dashboard by its slug", async () => {
    const email = `ops-${home.slug}@platform.test`;
    await createUser(pool, PLATFORM_TENANT_ID, { email, role: 'operator', password: PASSWORD });
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport(LAPTOP);
    await page.goto(`${api.url}/`);
    await page.waitForSelector('input[name=tenant]');
    await page.type('input[name=tenant]', 'platform');
    await page.type('input[name=email]', email);
    await page.type('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=slug]');
    expect(await texts(page, 'h1')).toEqual(['Platform']);
    // Every tenant with its state, each linking to its dashboard.
    const row = (slug: string) => `[data-testid=tenant-row][data-slug="${slug}"]`;
    await page.waitForSelector(row(other.slug));
    expect(await page.$eval(`${row(home.slug)} a`, (a) => a.getAttribute('href'))).toBe(`/t/${home.slug}/`);
    expect(await texts(page, `${row(other.slug)} [data-testid=tenant-switches]`)).toEqual(['0']);
    expect(await seriousViolations(page)).toEqual([]);
    // The accelerated day's date, and only this file's tenants (the suite makes hundreds).
    await page.goto(`${api.url}/t/platform/?date=${DATE}`);
    await page.waitForSelector(row(other.slug));
    expect(await page.$eval(`${row(home.slug)} a`, (a) => a.getAttribute('href'))).toBe(
      `/t/${home.slug}/?date=${DATE}`,
    );
    // The accelerated day, ended by the test without its summary.
    expect(await texts(page, `${row(home.slug)} [data-testid=tenant-day]`)).toEqual([
      'TERMINATED · closed without a summary',
    ]);
    await page.type('input[name=filter]', 'web');
    await page.waitForFunction(
      (sel) => Array.from(document.querySelectorAll(sel)).every((r) => r.getAttribute('data-slug')!.includes('web')),
      {},
      '[data-testid=tenant-row]',
    );
    await screenshot(page, 'operator');
    await page.click('input[name=filter]', { clickCount: 3 });
    await page.keyboard.press('Backspace');
    // It keeps itself current: a kill switch set meanwhile shows without a reload.
    await withTenant(pool, other.id, ({ client: c }) =>
      c.query(
        `INSERT INTO kill_switches (tenant_id, scope, target, active, reason)
         VALUES ($1, 'tenant', '', true, 'browser test: platform view')`,
        [other.id],
      ),
    );
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '1',
      { timeout: 15_000 },
      `${row(other.slug)} [data-testid=tenant-switches]`,
    );
    await withTenant(pool, other.id, ({ client: c }) =>
      c.query('UPDATE kill_switches SET active = false WHERE tenant_id = $1', [other.id]),
    );
    await page.click(`${row(other.slug)} a`);
    await page.waitForFunction((name) => document.querySelector('h1')?.textContent === name, {}, other.name);
    expect(await texts(page, '[data-testid=role]')).toEqual(['operator (platform)']);
    // …and by its slug.
    await page.goto(`${api.url}/t/platform/`);
    await page.waitForSelector('input[name=slug]');
    await page.type('input[name=slug]', home.slug);
    await page.click('form.stack button[type=submit]');
    await page.waitForFunction((name) => document.querySelector('h1')?.textContent === name, {}, home.name);
    await page.close();
  });

  it('fits a phone: one column, no serious accessibility violation', async () => {
    const page = await loggedIn(home.users.trader, PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-phone');
    await page.close();
  });

  it('says when the live connection is down, and catches up on what happened meanwhile when it is back', async () => {
    const page = await loggedIn(home.users.trader);
    const port = Number(new URL(api.url).port);
    await api.close();
    await page.waitForSelector('.banner[role=alert]');
    expect(await texts(page, '[data-testid=link-status]')).toEqual(['Disconnected: reconnecting']);
    // Written while the page cannot hear of it.
    const tag = `WEBOFFLINE${process.pid}`;
    await withTenant(pool, home.id, ({ client: c }) =>
      c.query(
        `INSERT INTO orders (tenant_id, tag, broker, instrument, tradingsymbol, side, quantity, order_type, status)
         VALUES ($1, $2, 'paper', 'NIFTY', 'NIFTY26MAY24000CE', 'BUY', 65, 'MARKET', 'OPEN')`,
        [home.id, tag],
      ),
    );
    api = await startApi(port);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-status]')?.textContent === 'Live', {
      timeout: 30_000,
    });
    await page.waitForFunction(
      (t) => Array.from(document.querySelectorAll('[data-testid=order-row]')).some((r) => r.textContent?.includes(t)),
      {},
      tag,
    );
    expect(await page.$('.banner')).toBeNull();
    await page.close();
  });
});
