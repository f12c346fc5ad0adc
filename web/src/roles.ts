/** Whether a role may call a route, from the API's own declarations (x-roles in its OpenAPI document). */
import roles from '../dist/generated/roles.json';
import type { PathOf } from './api';
import type { Role } from './types';

const table = roles as Record<string, readonly string[] | undefined>;

export function may<M extends 'get' | 'post'>(role: Role, method: M, path: PathOf<M>): boolean {
  return table[`${method} ${path}`]?.includes(role) ?? false;
}
