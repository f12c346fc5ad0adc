/** Re-reading a resource when the live feed says it changed, without piling up requests. */
import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { LiveFeed } from './live';
import type { Channel } from './types';

/** A reload that never runs twice at once: asked for while one runs, it runs once more after it. */
export function useReload(fn: () => Promise<unknown>): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const flags = useRef({ running: false, again: false });
  return useCallback(function run() {
    const f = flags.current;
    if (f.running) {
      f.again = true;
      return;
    }
    f.running = true;
    void latest.current().finally(() => {
      f.running = false;
      if (f.again) {
        f.again = false;
        run();
      }
    });
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
