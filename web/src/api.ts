/**
 * The API as the page calls it: paths, path parameters, queries and bodies are checked against the
 * API's own OpenAPI document (types generated at build time into web/dist/generated), so a route that
 * changes breaks the build. Same origin, the httpOnly qs_session cookie; writes carry the CSRF token
 * (GET …/csrf, sent back as X-CSRF-Token), fetched once per tenant and again if the API refuses it.
 */
import type { paths } from '../dist/generated/api';

type Method = 'get' | 'post';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The paths that answer `M`. */
export type PathOf<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];
type Query<P extends keyof paths, M extends Method> = Op<P, M> extends { parameters: { query?: infer Q } } ? Q : never;
type Params<P extends keyof paths, M extends Method> =
  Op<P, M> extends { parameters: { path: infer A } } ? Omit<A, 'slug'> : Record<string, never>;
type Body<P extends keyof paths, M extends Method> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : undefined;

export interface Request<P extends keyof paths, M extends Method> {
  slug?: string;
  params?: Params<P, M>;
  query?: Query<P, M>;
  body?: Body<P, M>;
}

/** An application/problem+json answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

export function urlOf(path: string, slug: string | undefined, params: object = {}, query: object = {}): string {
  const values: Record<string, unknown> = { ...params, slug };
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

const csrfTokens = new Map<string, Promise<string>>();

async function csrfToken(slug: string, fresh = false): Promise<string> {
  if (fresh) csrfTokens.delete(slug);
  let token = csrfTokens.get(slug);
  if (!token) {
    token = get('/t/{slug}/api/v1/csrf', { slug }).then((r) => (r as { token: string }).token);
    token.catch(() => csrfTokens.delete(slug));
    csrfTokens.set(slug, token);
  }
  return token;
}

async function send(method: Method, url: string, body: unknown, csrf?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  return fetch(url, {
    method: method.toUpperCase(),
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (res.ok) return json;
  const p = (json ?? {}) as { code?: string; detail?: string; title?: string; errors?: ApiError['fields'] };
  throw new ApiError(res.status, p.code ?? 'error', p.detail ?? p.title ?? res.statusText, p.errors ?? []);
}

export async function get<P extends PathOf<'get'>>(path: P, req: Request<P, 'get'> = {}): Promise<unknown> {
  return answer(await send('get', urlOf(path, req.slug, req.params ?? {}, req.query ?? {}), undefined));
}

export async function post<P extends PathOf<'post'>>(path: P, req: Request<P, 'post'> = {}): Promise<unknown> {
  const url = urlOf(path, req.slug, req.params ?? {}, req.query ?? {});
  if (!req.slug) return answer(await send('post', url, req.body));
  let res = await send('post', url, req.body, await csrfToken(req.slug));
  if (
    res.status === 403 &&
    (
      await res
        .clone()
        .json()
        .catch(() => ({}))
    )?.code === 'csrf_token_invalid'
  )
    res = await send('post', url, req.body, await csrfToken(req.slug, true));
  return answer(res);
}

/** After a login the session changed: tokens bound to the old one are worthless. */
export const forgetCsrf = () => csrfTokens.clear();
