import { issueSession, verifySession, SESSION_TTL_SECONDS } from './session';

const secret = 'x'.repeat(32);

describe('qs_session tokens', () => {
  it('round-trips the claims until expiry', () => {
    const token = issueSession(secret, { userId: 7, tenantId: 3, role: 'trader' }, 1000);
    expect(verifySession(secret, token, 1001)).toEqual({
      userId: 7,
      tenantId: 3,
      role: 'trader',
      exp: 1000 + SESSION_TTL_SECONDS,
    });
    expect(verifySession(secret, token, 1000 + SESSION_TTL_SECONDS)).toBeUndefined();
  });

  it('refuses a token signed with another secret or with altered claims', () => {
    const token = issueSession(secret, { userId: 7, tenantId: 3, role: 'trader' }, 1000);
    expect(verifySession('y'.repeat(32), token, 1001)).toBeUndefined();
    const [, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 7, tenantId: 4, role: 'admin', exp: 99999999 })).toString(
      'base64url',
    );
    expect(verifySession(secret, `${forged}.${mac}`, 1001)).toBeUndefined();
    expect(verifySession(secret, 'garbage', 1001)).toBeUndefined();
  });
});
