import { keyId, open, seal, sealedKeyId, SecretUnreadableError, staticKeyProvider } from './secret-box';
import { kiteTokenExpiry, sessionVerdictOf } from './broker-credentials';
import { parseSecretsKeys } from '../runtime/config';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);

describe('secret box (AES-256-GCM envelopes)', () => {
  it('seals to a fresh envelope naming its key; opens only with that key and the same row', () => {
    const keys = staticKeyProvider([k1]);
    const a = seal(keys, 'api-secret', 'broker_accounts/7/api_secret');
    const b = seal(keys, 'api-secret', 'broker_accounts/7/api_secret');
    expect(a).not.toBe(b); // a fresh IV each time
    expect(a).not.toContain('api-secret');
    expect(sealedKeyId(a)).toBe(keyId(k1));
    expect(open(keys, a, 'broker_accounts/7/api_secret')).toBe('api-secret');
    expect(() => open(keys, a, 'broker_accounts/8/api_secret')).toThrow(SecretUnreadableError);
    expect(() => open(staticKeyProvider([k2]), a, 'broker_accounts/7/api_secret')).toThrow(/does not hold/);
    const tampered = a.slice(0, -2) + (a.endsWith('AA') ? 'AB' : 'AA');
    expect(() => open(keys, tampered, 'broker_accounts/7/api_secret')).toThrow(/tampered/);
  });

  it('rotates: the first key seals, every configured key opens', () => {
    const old = seal(staticKeyProvider([k1]), 's', 'x');
    const both = staticKeyProvider([k2, k1]);
    expect(open(both, old, 'x')).toBe('s');
    expect(sealedKeyId(seal(both, 's', 'x'))).toBe(keyId(k2));
  });

  it('QS_SECRETS_KEY takes base64 or hex 32-byte keys, comma-separated, and names a bad one', () => {
    expect(parseSecretsKeys(`${k1.toString('base64')}, ${k2.toString('hex')}`)).toEqual([k1, k2]);
    expect(() => parseSecretsKeys(`${k1.toString('base64')},abc`)).toThrow(/key 2 must be 32 bytes/);
    expect(() => parseSecretsKeys(Buffer.alloc(16).toString('base64'))).toThrow(/key 1/);
  });
});

describe('Kite session verdict', () => {
  const issued = new Date('2026-05-06T04:45:00Z'); // 10:15 IST
  it('a token lives until 06:00 IST the next morning', () => {
    expect(kiteTokenExpiry(issued).toISOString()).toBe('2026-05-07T00:30:00.000Z');
    const row = { sessionStatus: 'active' as const, sessionReason: null, tokenCreatedAt: issued, hasToken: true };
    expect(sessionVerdictOf(row, new Date('2026-05-07T00:29:59Z')).live).toBe(true);
    const stale = sessionVerdictOf(row, new Date('2026-05-07T00:30:00Z'));
    expect(stale.live).toBe(false);
    expect(stale.reason).toBe(
      'the Kite access token issued 2026-05-06 10:15 IST expired at 2026-05-07 06:00 IST; ' +
        'log in again: qs broker kite login-url, then qs broker kite session',
    );
  });

  it('a refused token or no token is never live', () => {
    const now = new Date('2026-05-06T05:00:00Z');
    const refused = { sessionStatus: 'relogin_required' as const, sessionReason: 'TokenException: x' };
    expect(sessionVerdictOf({ ...refused, tokenCreatedAt: issued, hasToken: true }, now).reason).toMatch(
      /^Kite refused the access token \(TokenException: x\)/,
    );
    const none = { sessionStatus: 'none' as const, sessionReason: null, tokenCreatedAt: null, hasToken: false };
    expect(sessionVerdictOf(none, now).reason).toMatch(/no access token/);
  });
});
