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
import { tradingDayWorkflowId } from '../../contracts/trading-day';
import { testClient, testPool } from '../support/env';
import { FAST } from '../support/orders-env';
import { buildDashboard, launchBrowser, LAPTOP, PHONE, screenshot, seriousViolations, texts } from './support/browser';
import { browserTenant, BrowserTenant, decisionModels, PASSWORD, startApi, withWorkers } from './support/dashboard-env';

jest.setTimeout(180_000);

const DATE = '2026-05-06';

describe('the tenant dashboard in a browser', () => {
  const pool = testPool('app');
  let api: ApiServer;
  let browser: Browser;
  let client: Client;
  let models: ModelCache;
  let home: BrowserTenant;
  let other: BrowserTenant;

  beforeAll(async () => {
    buildDashboard();
    [api, browser, client, home, other] = await Promise.all([
      startApi(),
      launchBrowser(),
      testClient(),
      browserTenant(pool, 'web'),
      browserTenant(pool, 'webx'),
    ]);
    models = await decisionModels(pool);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await models?.stop();
  });

  /** A fresh browser context (its own cookies) logged in through the page's form. */
  async function loggedIn(email: string, viewport = LAPTOP): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(viewport);
    await page.goto(`${api.url}/t/${home.slug}/`);
    await page.waitForSelector('input[name=email]');
    await page.type('input[name=email]', email);
    await page.type('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=link-status]');
    await page.waitForFunction(() => document.querySelector('[data-testid=link-status]')?.textContent === 'Live');
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

  it('a decision arrives live during an accelerated trading day and opens its why', async () => {
    const page = await loggedIn(home.users.operator);
    await page.waitForFunction(() => document.querySelector('#decisions')?.textContent?.includes('No decisions yet'));
    const day = await withWorkers(pool, models, async () => {
      const handle = await startWorkflow(client, 'tradingDay', {
        taskQueue: TASK_QUEUES.trading,
        workflowId: tradingDayWorkflowId(home.id, DATE),
        args: [{ tenantId: home.id, date: DATE, mode: 'accelerated', cadenceMinutes: 30, seed: 7, orderOptions: FAST }],
        workflowExecutionTimeout: '10 minutes',
      });
      // No reload: the feed hears it over Socket.IO.
      await page.waitForSelector('[data-testid=decision]', { timeout: 60_000 });
      await handle.terminate('browser test: the day has shown what it needed to').catch(() => undefined);
      return handle;
    });
    expect(day.workflowId).toBe(tradingDayWorkflowId(home.id, DATE));
    const first = await texts(page, '[data-testid=decision]');
    expect(first[0]).toMatch(/trade|abstain|refused/);
    await screenshot(page, 'dashboard');
    await page.click('[data-testid=decision] button');
    await page.waitForSelector('[data-testid=decision-why]');
    // Every wall with its verdict, and every model with its SHA-256.
    expect(await texts(page, '[data-testid=why-wall] th')).toHaveLength(7);
    const modelLines = await texts(page, '#why-models ~ ul li');
    expect(modelLines.length).toBeGreaterThan(0);
    for (const m of modelLines) expect(m).toMatch(/sha256 [0-9a-f]{64}/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'decision-why');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { hidden: true });
    await page.close();
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
    await ops.type('dialog[open] textarea[name=reason]', 'browser test: resume');
    await ops.click('dialog[open] button[type=submit]');
    await ops.waitForFunction(
      () => document.querySelector('[data-testid=trading-state]')?.textContent === 'Accepting new risk',
    );
    await ops.close();
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

  it('fits a phone: one column, no serious accessibility violation', async () => {
    const page = await loggedIn(home.users.trader, PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-phone');
    await page.close();
  });
});
