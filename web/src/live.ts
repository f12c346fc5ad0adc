/**
 * The page's Socket.IO connection (same origin: the qs_session cookie authenticates it). Each panel
 * watches a channel; on every (re)connection the feed subscribes again and the ack's state replaces
 * what the panel had, so a reconnect catches up on whatever happened while the page was offline.
 * Events newer than that state follow in order.
 */
import { io, type Socket } from 'socket.io-client';
import { useEffect, useState } from 'preact/hooks';
import type { Channel, LiveEvent } from './types';

export type LinkStatus = 'connecting' | 'live' | 'offline' | 'refused';

type Message = { kind: 'state'; state: unknown } | { kind: 'event'; event: LiveEvent };
type Listener = (m: Message) => void;

interface SubscribeAck {
  ok: boolean;
  error?: string;
  message?: string;
  state?: unknown;
}

export class LiveFeed {
  private readonly socket: Socket;
  private readonly listeners = new Map<Channel, Set<Listener>>();
  private readonly statusListeners = new Set<(s: LinkStatus) => void>();
  status: LinkStatus = 'connecting';

  constructor(private readonly slug: string) {
    this.socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], reconnectionDelayMax: 3_000 });
    this.socket.on('connect', () => {
      this.setStatus('live');
      for (const channel of this.listeners.keys()) this.subscribe(channel);
    });
    // The server ends a logged-out session's sockets and they do not reconnect: log in again.
    this.socket.on('disconnect', (reason) => this.setStatus(reason === 'io server disconnect' ? 'refused' : 'offline'));
    this.socket.on('connect_error', () => this.setStatus(this.socket.active ? 'offline' : 'refused'));
    this.socket.on('event', (event: LiveEvent) => {
      for (const fn of this.listeners.get(event.channel) ?? []) fn({ kind: 'event', event });
    });
  }

  watch(channel: Channel, fn: Listener): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    const first = set.size === 0;
    set.add(fn);
    this.listeners.set(channel, set);
    if (first && this.socket.connected) this.subscribe(channel);
    return () => set.delete(fn);
  }

  onStatus(fn: (s: LinkStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  close(): void {
    this.socket.close();
  }

  private setStatus(s: LinkStatus): void {
    this.status = s;
    for (const fn of this.statusListeners) fn(s);
  }

  private subscribe(channel: Channel): void {
    const again = () => setTimeout(() => this.socket.connected && this.subscribe(channel), 2_000);
    this.socket
      .timeout(10_000)
      .emitWithAck('subscribe', { channel, tenant: this.slug })
      .then((ack: SubscribeAck) => {
        if (ack.ok) {
          for (const fn of this.listeners.get(channel) ?? []) fn({ kind: 'state', state: ack.state });
          return;
        }
        // Already subscribed on this connection: its events are flowing.
        if (ack.error === 'conflict') return;
        if (ack.error === 'forbidden') return this.setStatus('refused');
        again(); // a fault on the server: ask again
      })
      // No answer in time: ask again while connected (a reconnect subscribes anyway).
      .catch(again);
  }
}

export function useLinkStatus(feed: LiveFeed): LinkStatus {
  const [status, setStatus] = useState(feed.status);
  useEffect(() => {
    const off = feed.onStatus(setStatus);
    // It may have changed between the render and this effect.
    setStatus(feed.status);
    return off;
  }, [feed]);
  return status;
}

/**
 * A panel's view of a channel: `fromState` turns the subscription's state into the view (on every
 * connect), `onEvent` folds each later event into it.
 */
export function useChannel<V>(
  feed: LiveFeed,
  channel: Channel,
  initial: V,
  fromState: (state: unknown, previous: V) => V,
  onEvent: (view: V, event: LiveEvent) => V,
): V {
  const [view, setView] = useState<V>(initial);
  useEffect(
    () =>
      feed.watch(channel, (m) => setView((v) => (m.kind === 'state' ? fromState(m.state, v) : onEvent(v, m.event)))),
    [feed, channel],
  );
  return view;
}
