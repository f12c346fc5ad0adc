/** Re-reading a resource when the live feed says it changed, without piling up requests. */
import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { LiveFeed } from './live';
import type { Channel } from './types';

/** Reloads of one panel start at least this far apart: a burst of events is one request, not hundreds. */
const MIN_GAP_MS = 1_000;

/**
 * A reload that never runs twice at once and starts at most once a second: asked for meanwhile, it
 * runs once more when it may.
 */
export function useReload(fn: () => Promise<unknown>): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const flags = useRef({ busy: false, again: false, lastStart: 0 });
  return useCallback(function run() {
    const f = flags.current;
    if (f.busy) {
      f.again = true;
      return;
    }
    f.busy = true;
    const wait = Math.max(0, f.lastStart + MIN_GAP_MS - Date.now());
    setTimeout(() => {
      f.lastStart = Date.now();
      void latest
        .current()
        .catch(() => undefined)
        .finally(() => {
          f.busy = false;
          if (f.again) {
            f.again = false;
            run();
          }
        });
    }, wait);
  }, []);
}

/**
 * Loads now, again whenever one of `channels` announces something (at most one request in flight),
 * and every `everyMs` if given.
 */
export function useLiveReload(
  feed: LiveFeed,
  channels: readonly Channel[],
  fn: () => Promise<unknown>,
  deps: readonly unknown[],
  everyMs?: number,
): () => void {
  const load = useReload(fn);
  useEffect(() => {
    load();
    const offs = channels.map((c) => feed.watch(c, load));
    return () => offs.forEach((off) => off());
  }, [feed, ...deps]);
  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(load, everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return load;
}

/** Today's trading date as the exchange reckons it (IST). */
export const istToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
