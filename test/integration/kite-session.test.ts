/**
 * Kite onboarding against the fake Kite (real HTTP) and a real Postgres: the login flow through
 * the real `qs broker kite` commands (login URL → request token → POST /session/token with its
 * checksum), a stale token refused before the open with the reason and no byte sent, a
 * TokenException turned into the tenant's "re-login required" state (not an order rejection),
 * and secrets at rest: the raw rows hold no readable secret without the key, plaintext does not
 * fit the columns, and `qs secrets rotate` re-seals under a new key.
 */
import { BrokerReloginRequiredError } from '../../broker/errors';
import { createBrokerRegistry } from '../../broker/registry';
import { brokerSessionVerdict, kiteCredentials, kiteTokenExpiry } from '../../db/broker-credentials';
import { SecretUnreadableError, staticKeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import { testEnv, testPool } from '../support/env';
import { fakeKites, kiteOrder, kiteTenant, TEST_SECRETS_KEY, testKeys } from '../support/fake-kite';
import { auditCount } from '../support/orders-env';
import { runQs } from '../support/run-qs';

const creds = { apiKey: 'sessionkey', accessToken: 'sessiontoken', apiSecret: 'the-app-secret-42' };
const pool = testPool('app');
const admin = testPool('admin');
/** The superuser reads past row-level security: what someone with the database but not the key sees. */
const superuser = testPool('super');
const fakeKite = fakeKites(creds);

const qsEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: testEnv().adminUrl,
  QS_APP_DATABASE_URL: testEnv().appUrl,
  QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
  QS_SECRETS_KEY: TEST_SECRETS_KEY,
  ...extra,
});

const slugOf = async (id: number) =>
  (await admin.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [id])).rows[0]!.slug;

const rawRow = async (id: number) =>
  (await superuser.query('SELECT *, broker_accounts::text AS whole FROM broker_accounts WHERE tenant_id = $1', [id]))
    .rows[0] as { api_secret_enc: string; access_token_enc: string | null; whole: string };

describe('Kite onboarding', () => {
  it('logs in through qs broker kite: setup, login-url, session (checksum), status', async () => {
    const fake = await fakeKite();
    const tenantId = await kiteTenant(fake, { armed: false, session: false });
    const slug = await slugOf(tenantId);
    const setup = await runQs(
      [
        'broker',
        'kite',
        'setup',
        '--tenant',
        slug,
        '--api-key',
        creds.apiKey,
        '--base-url',
        fake.url,
        '--algo-id',
        'A7',
      ],
      qsEnv({ QS_KITE_API_SECRET: creds.apiSecret }),
    );
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    const before = await runQs(['broker', 'kite', 'status', '--tenant', slug, '--json'], qsEnv());
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({ live: false, reason: expect.stringMatching(/no access token/) });

    const url = await runQs(['broker', 'kite', 'login-url', '--tenant', slug], qsEnv());
    expect(url.stdout.trim()).toBe(`https://kite.zerodha.com/connect/login?v=3&api_key=${creds.apiKey}`);
    // What Kite's login page hands the redirect URL.
    const requestToken = fake.issueRequestToken();
    const session = await runQs(
      ['broker', 'kite', 'session', '--tenant', slug, '--request-token', requestToken, '--json'],
      qsEnv(),
    );
    expect(session.code).toBe(0);
    const s = JSON.parse(session.stdout) as { userId: string; issuedAt: string; expiresAt: string };
    expect(s.userId).toBe(fake.userId);
    expect(new Date(s.expiresAt).getTime()).toBe(kiteTokenExpiry(new Date(s.issuedAt)).getTime());
    const exchange = fake.requests.find((r) => r.path === '/session/token')!;
    expect(exchange.form.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(exchange.body).not.toContain(creds.apiSecret);

    const after = await runQs(['broker', 'kite', 'status', '--tenant', slug, '--json'], qsEnv());
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ live: true, userId: fake.userId, algoId: 'A7' });
    // A request token is single-use: a replay is a clear one-line refusal.
    const replay = await runQs(
      ['broker', 'kite', 'session', '--tenant', slug, '--request-token', requestToken],
      qsEnv(),
    );
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/TokenException.*log in again/);
    // The token the broker now uses is the session's: an order goes through.
    const broker = await createBrokerRegistry({ pool, liveTrading: true }).forTenant(tenantId);
    await expect(broker.getOrders()).resolves.toEqual([]);
  });

  it(
    'Kite tokens expire at 06:00 IST the next morning; ' + 'a stale one is refused before the open with the reason',
    async () => {
      // Issued 10:15 IST on 6 May → flushed 06:00 IST on 7 May; issued 05:30 IST → 06:00 the same day.
      expect(kiteTokenExpiry(new Date('2026-05-06T04:45:00Z')).toISOString()).toBe('2026-05-07T00:30:00.000Z');
      expect(kiteTokenExpiry(new Date('2026-05-06T00:00:00Z')).toISOString()).toBe('2026-05-06T00:30:00.000Z');

      const fake = await fakeKite();
      const yesterday = new Date(Date.now() - 30 * 3600_000);
      const tenantId = await kiteTenant(fake, { armed: true, issuedAt: yesterday });
      const verdict = await brokerSessionVerdict(pool, tenantId);
      expect(verdict.live).toBe(false);
      expect(verdict.reason).toMatch(/access token issued .* IST expired at .* 06:00 IST; log in again/);

      // The broker refuses every call with that reason before a byte leaves: the placement activity
      // records such a refusal as DENIED with the reason (like the dry-run lock), not as a rejection.
      const broker = await createBrokerRegistry({ pool, liveTrading: true }).forTenant(tenantId);
      const refused = broker.placeOrder(kiteOrder('STALE1'));
      await expect(refused).rejects.toBeInstanceOf(BrokerReloginRequiredError);
      await expect(refused).rejects.toThrow(/expired at .* 06:00 IST/);
      await expect(broker.getOrders()).rejects.toBeInstanceOf(BrokerReloginRequiredError);
      expect(fake.requests).toHaveLength(0); // not one byte to Kite
    },
  );

  it(
    'a TokenException puts the tenant in "re-login required" (once), ' + 'refuses further calls, and a login clears it',
    async () => {
      const fake = await fakeKite();
      const tenantId = await kiteTenant(fake, { armed: true });
      const registry = createBrokerRegistry({ pool, liveTrading: true });
      await (await registry.forTenant(tenantId)).placeOrder(kiteOrder('BEFORE1'));
      fake.expireSession();
      const broker = await registry.forTenant(tenantId);
      await expect(broker.placeOrder(kiteOrder('AFTER1'))).rejects.toBeInstanceOf(BrokerReloginRequiredError);
      await expect(broker.getOrders()).rejects.toBeInstanceOf(BrokerReloginRequiredError);
      const v = await brokerSessionVerdict(pool, tenantId);
      expect(v).toMatchObject({
        live: false,
        reason: expect.stringMatching(/Kite refused the access token.*TokenException/),
      });
      expect(await auditCount(pool, tenantId, 'broker.relogin_required')).toBe(1);
      // No call leaves for this tenant until it logs in again.
      const sent = fake.requests.length;
      await expect((await registry.forTenant(tenantId)).getOrders()).rejects.toThrow(/log in again/);
      expect(fake.requests.length).toBe(sent);

      const slug = await slugOf(tenantId);
      const token = fake.issueRequestToken();
      const login = await runQs(['broker', 'kite', 'session', '--tenant', slug, '--request-token', token], qsEnv());
      expect(login.code).toBe(0);
      expect((await brokerSessionVerdict(pool, tenantId)).live).toBe(true);
      await (await registry.forTenant(tenantId)).placeOrder(kiteOrder('AGAIN1'));
      expect(fake.ordersWithTag('AGAIN1')).toHaveLength(1);
    },
  );
});

describe('broker secrets at rest', () => {
  it('no column holds a readable secret; plaintext does not fit; the wrong key or row opens nothing', async () => {
    const fake = await fakeKite();
    const tenantId = await kiteTenant(fake, { armed: false });
    const row = await rawRow(tenantId);
    for (const secret of [creds.apiSecret, fake.accessToken]) expect(row.whole).not.toContain(secret);
    expect(row.api_secret_enc).toMatch(/^qs1:[0-9a-f]{12}:/);
    expect(row.access_token_enc).toMatch(/^qs1:[0-9a-f]{12}:/);
    const columns = await admin.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'broker_accounts'",
    );
    expect(columns.rows.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['api_secret']));
    expect(columns.rows.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['access_token']));
    await expect(
      superuser.query('UPDATE broker_accounts SET api_secret_enc = $2 WHERE tenant_id = $1', [tenantId, 'plain']),
    ).rejects.toThrow(/broker_accounts_sealed/);

    const otherKey = staticKeyProvider([Buffer.alloc(32, 9)]);
    await expect(withTenant(pool, tenantId, (tx) => kiteCredentials(tx, otherKey))).rejects.toBeInstanceOf(
      SecretUnreadableError,
    );
    // A sealed secret copied into another tenant's row does not open there.
    const other = await kiteTenant(fake, { armed: false });
    await superuser.query('UPDATE broker_accounts SET api_secret_enc = $2 WHERE tenant_id = $1', [
      other,
      row.api_secret_enc,
    ]);
    await expect(withTenant(pool, other, (tx) => kiteCredentials(tx, testKeys()))).rejects.toThrow(/tampered or moved/);
    await superuser.query('UPDATE broker_accounts SET api_secret_enc = NULL WHERE tenant_id = $1', [other]);
  });

  it('qs secrets rotate re-seals every secret with the new key; the old key then opens nothing', async () => {
    const fake = await fakeKite();
    const tenantId = await kiteTenant(fake, { armed: false });
    const newKey = Buffer.alloc(32, 11).toString('base64');
    const rotate = await runQs(
      ['secrets', 'rotate', '--json'],
      qsEnv({ QS_SECRETS_KEY: `${newKey},${TEST_SECRETS_KEY}` }),
    );
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);
    const report = JSON.parse(rotate.stdout) as {
      keyId: string;
      tenants: Array<{ tenantId: number; resealed: number }>;
    };
    expect(report.tenants).toContainEqual({ tenantId, resealed: 2 });
    const row = await rawRow(tenantId);
    expect(row.api_secret_enc.split(':')[1]).toBe(report.keyId);
    const fresh = staticKeyProvider([Buffer.from(newKey, 'base64')]);
    const opened = await withTenant(pool, tenantId, (tx) => kiteCredentials(tx, fresh));
    expect(opened).toMatchObject({ apiSecret: creds.apiSecret, accessToken: fake.accessToken });
    await expect(withTenant(pool, tenantId, (tx) => kiteCredentials(tx, testKeys()))).rejects.toThrow(
      /sealed with key .* which QS_SECRETS_KEY does not hold/,
    );
    // A second rotation with the same key has nothing left to do here.
    const again = await runQs(['secrets', 'rotate', '--json'], qsEnv({ QS_SECRETS_KEY: newKey }));
    expect(JSON.parse(again.stdout).tenants).not.toContainEqual(expect.objectContaining({ tenantId }));
    // Put the test key back for the rest of the run.
    const back = await runQs(['secrets', 'rotate'], qsEnv({ QS_SECRETS_KEY: `${TEST_SECRETS_KEY},${newKey}` }));
    expect(back.code).toBe(0);
  });

  it('refuses a malformed QS_SECRETS_KEY at boot, naming it', async () => {
    const r = await runQs(['secrets', 'rotate'], qsEnv({ QS_SECRETS_KEY: 'too-short' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/QS_SECRETS_KEY: key 1 must be 32 bytes/);
  });
});
