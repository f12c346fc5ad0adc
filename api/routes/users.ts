/**
 * Users of a tenant (admins): list, invite (a single-use token, shown once, to hand over out of
 * band), password reset tokens, role changes. Redeeming a token is public and rate-limited:
 * accept an invitation (set a password) or set a new password.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { changeRole, inviteUser, issuePasswordReset, listUsers, redeemToken, TokenRefused } from '../../db/user-tokens';
import { USER_ROLES } from '../../db/schema/users';
import { identifierText, storableText } from '../../db/text';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ADMINS } from '../roles';
import { ApiProblem, notFound } from '../problem';
import type { TenantDeps } from './tenant';

const role = z.enum(USER_ROLES);
const userIdParams = z.strictObject({ userId: z.coerce.number().int().min(1).max(2_147_483_647) });
const redeemBody = z.strictObject({
  tenant: identifierText(100).min(1, 'required'),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a token'),
  password: storableText(1024).min(12, 'must be at least 12 characters'),
});

/** A refusal the user can act on is a 400 (or 409) naming the field; anything else propagates. */
async function refusalsAs400<T>(work: Promise<T>, status = 400): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof TokenRefused)
      throw new ApiProblem(status, status === 409 ? 'conflict' : 'bad_request', err.message);
    throw err;
  }
}

export function userRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const admin = { tag: 'users', access: ADMINS } as const;
  table.add(
    router,
    { ...admin, method: 'get', path: `${TENANT_PREFIX}/users`, summary: "The tenant's users" },
    async ({ tenant }) => ({ users: await listUsers(deps.pool, tenant!.id) }),
  );
  table.add(
    router,
    {
      ...admin,
      method: 'post',
      path: `${TENANT_PREFIX}/users/invitations`,
      summary: `Invite a user: a single-use token, valid for 72 h, shown only in this answer`,
      body: z.strictObject({ email: z.string().trim().toLowerCase().max(320).email(), role }),
      status: 201,
      errors: [409],
    },
    async ({ tenant, session, body }) =>
      refusalsAs400(inviteUser(deps.pool, tenant!.id, { ...body, actorUserId: session!.userId }), 409),
  );
  table.add(
    router,
    {
      ...admin,
      method: 'post',
      path: `${TENANT_PREFIX}/users/:userId/password-reset`,
      summary: 'A single-use password reset token for a user, valid for 1 h',
      params: userIdParams,
      status: 201,
    },
    async ({ tenant, session, params }) => {
      const issued = await issuePasswordReset(deps.pool, tenant!.id, { ...params, actorUserId: session!.userId });
      if (!issued) throw notFound();
      return issued;
    },
  );
  table.add(
    router,
    {
      ...admin,
      method: 'post',
      path: `${TENANT_PREFIX}/users/:userId/role`,
      summary: "Change a user's role (a tenant keeps at least one admin)",
      params: userIdParams,
      body: z.strictObject({ role }),
      errors: [409],
    },
    async ({ tenant, session, params, body }) => {
      const user = await refusalsAs400(
        changeRole(deps.pool, tenant!.id, { ...params, role: body.role, actorUserId: session!.userId }),
        409,
      );
      if (!user) throw notFound();
      return { user };
    },
  );
  for (const [purpose, path, summary] of [
    ['invite', '/api/v1/auth/invitations/accept', 'Accept an invitation: set your password'],
    ['reset', '/api/v1/auth/password-reset', 'Set a new password with a reset token'],
  ] as const)
    table.add(
      router,
      { method: 'post', path, summary, tag: 'auth', access: 'public', body: redeemBody, rateLimit: 'reset' },
      async ({ body }) => {
        const user = await refusalsAs400(
          redeemToken(deps.pool, {
            slug: body.tenant.toLowerCase(),
            token: body.token,
            password: body.password,
            purpose,
          }),
        );
        return { userId: user.userId, email: user.email };
      },
    );
}
