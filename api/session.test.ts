import { createHmac } from 'node:crypto';
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

  describe('strict format: exactly base64url claims, ".", a 43-character base64url MAC', () => {
    const token = issueSession(secret, { userId: 7, tenantId: 3, role: 'trader' }, 1000);
    const [body, mac] = token.split('.');

    it.each([
      ['extra text after a third "."', `${token}.extra`],
      ['an empty third part', `${token}.`],
      ['leading whitespace', ` ${token}`],
      ['trailing whitespace', `${token} `],
      ['a trailing newline', `${token}\n`],
      ['base64 padding on the claims', `${body}==.${mac}`],
      ['base64 padding on the MAC', `${token}=`],
      ['standard base64 characters', `${body.replace(/-/g, '+').replace(/_/g, '/')}+/.${mac}`],
      ['a truncated MAC', `${body}.${mac.slice(0, 42)}`],
      ['an empty claims part', `.${mac}`],
      ['no MAC', `${body}.`],
      ['no separator', `${body}${mac}`],
      ['a NUL byte', `${token}\u0000`],
      ['oversized claims', `${'A'.repeat(1025)}.${mac}`],
    ])('refuses %s', (_what, candidate) => {
      expect(verifySession(secret, candidate, 1001)).toBeUndefined();
    });

    it('still accepts the token itself', () => {
      expect(verifySession(secret, token, 1001)?.userId).toBe(7);
    });

    it('refuses correctly signed claims of the wrong shape', () => {
      const signed = (claims: unknown) => {
        const b = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return `${b}.${createHmac('sha256', secret).update(b).digest('base64url')}`;
      };
      expect(verifySession(secret, signed({ userId: 7, tenantId: 3, role: 'trader', exp: 99999 }), 1001)).toBeDefined();
      for (const claims of [
        null,
        [1, 2],
        'text',
        { userId: '7', tenantId: 3, role: 'trader', exp: 99999 },
        { userId: 7, tenantId: 3.5, role: 'trader', exp: 99999 },
        { userId: 7, tenantId: 3, exp: 99999 },
        { userId: 7, tenantId: 3, role: 'trader' },
      ])
        expect(verifySession(secret, signed(claims), 1001)).toBeUndefined();
    });
  });
});
