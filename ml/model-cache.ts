/**
 * The models a worker serves, kept warm and hot-swapped. A dedicated Postgres client LISTENs
 * on the registry's channel: when a promotion or rollback commits, every cached entry it
 * affects is reloaded from the registry (SHA-256 verified), swapped in, and the replaced ONNX
 * session released after a grace period (calls already holding it finish). Each load is
 * recorded in worker_models, so `qs models workers` shows what every worker serves. If the
 * LISTEN connection drops, it reconnects and reloads everything (events may have been missed).
 */
import { Client, type Pool } from 'pg';
import { forgetWorker, listenOn, recordServedModel } from '../db/models';
import { instantiate, type AnyModel, type ModelsByType } from './adapters';
import { MODEL_TYPE_IDS, isModelTypeId, type ModelTypeId } from './model-types';
import { MODEL_EVENTS_CHANNEL, ModelRegistry, type ModelEvent } from './registry';
import { scopeKey } from './types';

export interface CacheLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ModelCacheOptions {
  readonly pool: Pool;
  /** Connection string for the dedicated LISTEN client. */
  readonly listenUrl: string;
  readonly workerId: string;
  readonly log?: CacheLog;
  /** How long a replaced model stays usable before its native session is released. */
  readonly releaseGraceMs?: number;
}

interface Entry {
  model: AnyModel | null;
  loading: Promise<AnyModel | null> | null;
  /**
   * The registry has answered for this entry (with a model or with none). A type with nothing in
   * production is not asked again on every get: a promotion's NOTIFY reloads the entry.
   */
  checked: boolean;
}

const silent: CacheLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const key = (typeId: string, tenantId: number | null) => `${typeId}|${tenantId ?? 'global'}`;

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly registry: ModelRegistry;
  private readonly log: CacheLog;
  private listener: Client | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Resolves when the last event's reloads finished (tests and shutdown wait on it). */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelCacheOptions) {
    this.registry = new ModelRegistry(options.pool, { actor: options.workerId });
    this.log = options.log ?? silent;
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /**
   * Starts listening (retrying in the background if Postgres is not reachable yet: resolves
   * false then) and prewarms the global models in the background; boot never waits on models.
   */
  async start(prewarm: readonly ModelTypeId[] = MODEL_TYPE_IDS): Promise<boolean> {
    let listening = true;
    try {
      await this.listen();
    } catch (err) {
      listening = false;
      this.log.warn({ err: (err as Error).message }, 'model event listener could not connect; retrying');
      this.scheduleListen(1_000);
    }
    this.pending = Promise.allSettled(prewarm.map((t) => this.get(t)));
    return listening;
  }

  /** Waits for prewarm and in-flight reloads. */
  async settled(): Promise<void> {
    await this.pending;
  }

  /** The production model for a tenant (its variant, else global); null when none is promoted yet. */
  async get<T extends ModelTypeId>(typeId: T, tenantId: number | null = null): Promise<ModelsByType[T] | null> {
    const k = key(typeId, tenantId);
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { model: null, loading: null, checked: false }));
    if (e.model || e.checked) return e.model as ModelsByType[T] | null;
    return (await this.load(typeId, tenantId)) as ModelsByType[T] | null;
  }

  /** Reloads one (type, tenant) from the registry; true when a different version is now served. */
  async refresh(typeId: ModelTypeId, tenantId: number | null = null): Promise<boolean> {
    const before = this.entries.get(key(typeId, tenantId))?.model?.id.sha256;
    const after = await this.load(typeId, tenantId);
    return after !== null && after.id.sha256 !== before;
  }

  /** What this worker serves now: one line per cached (type, requested tenant). */
  served(): Array<{ typeId: string; requested: string; scope: string; version: number; sha256: string }> {
    return [...this.entries.entries()]
      .filter(([, e]) => e.model)
      .map(([k, e]) => ({
        typeId: e.model!.id.typeId,
        requested: k.split('|')[1]!,
        scope: scopeKey(e.model!.id.scope),
        version: e.model!.id.version,
        sha256: e.model!.id.sha256,
      }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.pending.catch(() => undefined);
    for (const e of this.entries.values()) await e.model?.release().catch(() => undefined);
    this.entries.clear();
    await forgetWorker(this.options.pool, this.options.workerId).catch(() => undefined);
  }

  /** Single-flight load and swap; a failed load keeps serving the old model. */
  private load(typeId: ModelTypeId, tenantId: number | null): Promise<AnyModel | null> {
    const k = key(typeId, tenantId);
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { model: null, loading: null, checked: false }));
    const entry = e;
    const run = (async () => {
      if (entry.loading) await entry.loading.catch(() => undefined);
      try {
        const row = await this.registry.loadProduction(typeId, tenantId);
        entry.checked = true;
        if (!row) return entry.model;
        if (
          entry.model &&
          entry.model.id.sha256 === row.sha256 &&
          scopeKey(entry.model.id.scope) === scopeKey(row.scope)
        )
          return entry.model;
        const fresh = await instantiate(
          { typeId, version: row.version, sha256: row.sha256, scope: row.scope, featureSchema: row.featureSchema },
          row.artifact,
        );
        const old = entry.model;
        entry.model = fresh;
        await this.record(fresh);
        if (old) this.retire(old);
        this.log.info(
          { typeId, tenantId, version: row.version, sha256: row.sha256, previous: old?.id.version ?? null },
          old ? 'model hot-swapped' : 'model loaded',
        );
        return fresh;
      } catch (err) {
        this.log.error(
          { typeId, tenantId, err: (err as Error).message },
          'model load failed; keeping the current version',
        );
        if (!entry.model) throw err;
        return entry.model;
      }
    })();
    entry.loading = run;
    return run.finally(() => {
      if (entry.loading === run) entry.loading = null;
    });
  }

  private retire(old: AnyModel): void {
    const t = setTimeout(() => void old.release().catch(() => undefined), this.options.releaseGraceMs ?? 5_000);
    t.unref();
  }

  private async record(m: AnyModel): Promise<void> {
    await recordServedModel(this.options.pool, {
      workerId: this.options.workerId,
      typeId: m.id.typeId,
      scope: scopeKey(m.id.scope),
      version: m.id.version,
      sha256: m.id.sha256,
    });
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.options.listenUrl,
      application_name: `qs-model-cache:${this.options.workerId}`.slice(0, 63),
    });
    client.on('notification', (msg) => {
      if (msg.channel !== MODEL_EVENTS_CHANNEL || !msg.payload) return;
      try {
        this.onEvent(JSON.parse(msg.payload) as ModelEvent);
      } catch (err) {
        this.log.warn({ payload: msg.payload, err: (err as Error).message }, 'ignoring a malformed model event');
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'model event listener lost its connection; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await listenOn(client, MODEL_EVENTS_CHANNEL);
    this.listener = client;
  }

  private reconnect(dead: Client): void {
    if (this.stopped || this.listener !== dead) return;
    this.listener = null;
    void dead.end().catch(() => undefined);
    this.scheduleListen(1_000);
  }

  private scheduleListen(delay: number): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        // Events sent while we were away are gone: reload everything we serve.
        () => (this.pending = Promise.allSettled([...this.entries.keys()].map((k) => this.reloadKey(k)))),
        () => this.scheduleListen(Math.min(delay * 2, 30_000)),
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private reloadKey(k: string): Promise<unknown> {
    const [typeId, tenant] = k.split('|') as [string, string];
    if (!isModelTypeId(typeId)) return Promise.resolve();
    return this.load(typeId, tenant === 'global' ? null : Number(tenant)).catch(() => undefined);
  }

  private onEvent(event: ModelEvent): void {
    if (!isModelTypeId(event.typeId)) return;
    const affected = [...this.entries.entries()]
      .filter(([k, e]) => {
        if (!k.startsWith(`${event.typeId}|`)) return false;
        const requested = k.split('|')[1];
        // A global change reaches entries served by the global model (incl. tenants without a variant);
        // a tenant's change reaches that tenant's entry.
        return event.scope === 'global' ? !e.model || e.model.id.scope === 'global' : requested === String(event.scope);
      })
      .map(([k]) => k);
    this.log.info({ event, affected }, 'model event');
    this.pending = Promise.allSettled([this.pending, ...affected.map((k) => this.reloadKey(k))]);
  }
}
