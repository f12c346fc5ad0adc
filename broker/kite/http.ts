/**
 * Kite Connect v3 over HTTP: `Authorization: token api_key:access_token`, `X-Kite-Version: 3`,
 * form-encoded bodies, the JSON envelope {status:"success",data} / {status:"error",error_type,
 * message}. Failures are classified by what they mean for an order:
 * - never sent (connection refused, DNS, 429) or refused for now ("being processed": the cancel
 *   or modify is refused until the venue has the order) → BrokerUnavailableError (OrderBusyError):
 *   safe to retry;
 * - a write that may have landed (timeout, reset, 5xx, any answer to a write that is not the
 *   JSON envelope — a 2xx gateway page included — or any error whose message says the request
 *   timed out: Kite answers some with HTTP 400) → AmbiguousOutcomeError: look the order up by tag;
 * - a definite refusal (Input/Order/Margin/Holding/Permission exceptions; on a place, also "does
 *   not exist", which names the instrument, not an order) → OrderRejectedError;
 * - TokenException → BrokerReloginRequiredError (the session is gone; `onSessionExpired` is told).
 * Reads are idempotent: their failures are "unavailable".
 *
 * Why not the official `kiteconnect` client (v5.3.x, axios): it folds every HTTP status into
 * its error envelope (a connection refused and a timed-out write both become NetworkException,
 * told apart only by message text), resolves a non-JSON 2xx as a value instead of failing, and
 * exposes neither the status nor the raw body. Its `root` is configurable, but the
 * rejected-vs-ambiguous split above needs exactly what it hides; its parameter names and
 * routes are the reference this file follows.
 */
import {
  AmbiguousOutcomeError,
  BrokerAuthError,
  BrokerReloginRequiredError,
  BrokerUnavailableError,
  OrderBusyError,
  OrderNotFoundError,
  OrderNotOpenError,
  OrderRejectedError,
} from '../errors';
import { type RequestGate } from '../rate-limiter';

/** A Kite request's timeout when the account's settings name none. */
export const KITE_TIMEOUT_MS = 7_000;

export interface KiteHttpSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly accessToken: string;
  /** Per request (default 7 s). */
  readonly timeoutMs?: number;
}

export type Form = Record<string, string | number | undefined>;

/** What the request does: decides how its failures are read. */
export type Intent = 'place' | 'amend' | 'read';

export interface KiteHttpHooks {
  /** Told once per TokenException (the access token expired or was revoked). */
  readonly onSessionExpired?: (detail: string) => Promise<void> | void;
}

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TIMED_OUT = /timed?\s*-?\s*out|timeout/i;
const BEING_PROCESSED = /being processed/i;
const NOT_FOUND = /couldn'?t find|not found|does not exist/i;
const NOT_OPEN = /cannot be (cancelled|canceled|modified)|already (completed|cancelled|canceled|rejected)|is not open/i;

export class KiteHttp {
  constructor(
    private readonly s: KiteHttpSettings,
    private readonly gate: RequestGate,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly hooks: KiteHttpHooks = {},
  ) {}

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    form?: Form,
    intent: Intent = method === 'GET' ? 'read' : method === 'POST' ? 'place' : 'amend',
  ): Promise<T> {
    const { status, text, what } = await this.send(method, path, form, intent);
    const write = intent !== 'read';
    let env: { status?: string; data?: T; error_type?: string; message?: string };
    try {
      env = JSON.parse(text);
    } catch {
      const detail = `kite ${what}: HTTP ${status} without a JSON body`;
      if (status === 429) throw new BrokerUnavailableError(detail, 'HTTP_429');
      // A 2xx the gateway answered for Kite, or a 5xx: the write may have been processed.
      if (write && (status < 300 || status >= 500)) throw new AmbiguousOutcomeError(detail, `HTTP_${status}`);
      throw new BrokerUnavailableError(detail, `HTTP_${status}`);
    }
    if (env.status === 'success' && status < 400) return env.data as T;
    const type = env.error_type ?? 'GeneralException';
    const message = env.message ?? `HTTP ${status}`;
    const detail = `kite ${what}: ${type}: ${message}`;
    if (status === 429) throw new BrokerUnavailableError(detail, 'HTTP_429');
    if (type === 'TokenException') {
      await this.hooks.onSessionExpired?.(detail);
      throw new BrokerReloginRequiredError(`${detail} (log in again: qs broker kite login-url)`, type);
    }
    if (type === 'PermissionException') {
      if (write) throw new OrderRejectedError(detail, type);
      throw new BrokerAuthError(detail, type);
    }
    if (
      TIMED_OUT.test(message) ||
      ['NetworkException', 'GeneralException', 'DataException'].includes(type) ||
      status >= 500
    ) {
      if (write) throw new AmbiguousOutcomeError(detail, type);
      throw new BrokerUnavailableError(detail, type);
    }
    if (intent === 'amend' && BEING_PROCESSED.test(message)) throw new OrderBusyError(detail, type);
    // On a place, "does not exist" names the instrument: the order was refused, not lost.
    if (intent === 'place') throw new OrderRejectedError(detail, type);
    if (status === 404 || NOT_FOUND.test(message)) throw new OrderNotFoundError(detail, type);
    if (NOT_OPEN.test(message)) throw new OrderNotOpenError(detail, type);
    if (status === 403) throw new BrokerAuthError(detail, type);
    throw new OrderRejectedError(detail, type);
  }

  /** A non-envelope read (the instruments CSV dump). */
  async text(path: string): Promise<string> {
    const { status, text, what } = await this.send('GET', path, undefined, 'read');
    if (status >= 200 && status < 300) return text;
    let type = `HTTP_${status}`;
    try {
      type = (JSON.parse(text) as { error_type?: string }).error_type ?? type;
    } catch {
      // not an envelope: the status says enough
    }
    if (type === 'TokenException') {
      await this.hooks.onSessionExpired?.(`kite ${what}: TokenException`);
      throw new BrokerReloginRequiredError(`kite ${what}: TokenException (log in again)`, type);
    }
    throw new BrokerUnavailableError(`kite ${what}: HTTP ${status}`, type);
  }

  private async send(
    method: string,
    path: string,
    form: Form | undefined,
    intent: Intent,
  ): Promise<{ status: number; text: string; what: string }> {
    const timeoutMs = this.s.timeoutMs ?? KITE_TIMEOUT_MS;
    // Released when the answer is in: until then the request may still reach the broker.
    const release = await this.gate.acquire(timeoutMs);
    const body = form
      ? new URLSearchParams(
          Object.entries(form)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]): [string, string] => [k, String(v)]),
        ).toString()
      : undefined;
    const what = `${method} ${path}`;
    try {
      const res = await this.fetchImpl(new URL(path, this.s.baseUrl), {
        method,
        headers: {
          'X-Kite-Version': '3',
          Authorization: `token ${this.s.apiKey}:${this.s.accessToken}`,
          ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, text: await res.text(), what };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string }; code?: string };
      const code = err.cause?.code ?? err.code ?? err.name;
      const why = err.name === 'TimeoutError' ? 'timed out' : err.message;
      const detail = `kite ${what}: ${why}${code ? ` (${code})` : ''}`;
      if (NOT_SENT.has(code ?? '')) throw new BrokerUnavailableError(detail, code);
      if (intent === 'read') throw new BrokerUnavailableError(detail, code);
      throw new AmbiguousOutcomeError(detail, code);
    } finally {
      await release();
    }
  }
}
