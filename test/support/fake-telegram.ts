/**
 * A local fake of the Telegram Bot API over real HTTP (node:http), speaking its protocol:
 * `POST /bot<token>/<method>` with a JSON (or form) body, answers `{"ok":true,"result":…}` or
 * `{"ok":false,"error_code":…,"description":…}` (401 for a wrong token, 400 "chat not found").
 * Methods: getMe, getUpdates (offset confirms earlier updates, as Telegram does), sendMessage,
 * getChat. Tests script users (`userSends`, `channelPost`, `blockBot`), change what a chat id
 * answers (`setChat`: a chat swapped after linking) and inject send faults: a 429 with retry_after, or
 * a message recorded and the connection then cut (Telegram sent it; the caller cannot know).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
}

export interface SentMessage {
  message_id: number;
  chat_id: number;
  text: string;
}

export type SendFault = 'rate_limited' | 'cut_after_send';

const BOT_USER = { id: 7_000_000_001, is_bot: true, first_name: 'Quantsentinel', username: 'qs_test_bot' };

export class FakeTelegram {
  readonly token: string;
  readonly sent: SentMessage[] = [];
  /** Every call, in order: the method and its parameters. */
  readonly calls: Array<{ method: string; params: Record<string, unknown> }> = [];
  private readonly chats = new Map<number, FakeChat>();
  private updates: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 100;
  private nextMessageId = 1;
  private sendFaults: SendFault[] = [];
  private readonly blocked = new Set<number>();
  private server?: http.Server;

  constructor(token = `7000000001:${'A'.repeat(35)}`) {
    this.token = token;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this.apiRoot;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  setChat(chat: FakeChat): void {
    this.chats.set(chat.id, chat);
  }

  /** A user writes to the bot in `chat` (a private chat has the user's id). */
  userSends(chat: FakeChat, fromUserId: number, text: string): void {
    this.setChat(this.chats.get(chat.id) ?? chat);
    this.push({
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat,
        from: { id: fromUserId, is_bot: false, first_name: `user${fromUserId}` },
        text,
      },
    });
  }

  /** A post in a channel the bot administers (channel posts have no sender). */
  channelPost(chat: FakeChat, text: string): void {
    this.setChat(chat);
    this.push({
      channel_post: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat, text },
    });
  }

  /** The user of this private chat blocks the bot: Telegram answers 403 from then on. */
  blockBot(chatId: number): void {
    this.blocked.add(chatId);
  }

  /** The next sendMessage calls fail this way, one fault each. */
  failNextSends(...faults: SendFault[]): void {
    this.sendFaults.push(...faults);
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === chatId);
  }

  private push(update: Record<string, unknown>): void {
    this.updates.push({ update_id: this.nextUpdateId++, ...update });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (code: number, description: string, parameters?: Record<string, unknown>) =>
      reply(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '');
    if (!m) return fail(404, 'Not Found');
    if (m[1] !== this.token) return fail(401, 'Unauthorized');
    const method = m[2]!;
    let params: Record<string, unknown> = {};
    try {
      if (raw && (req.headers['content-type'] ?? '').includes('json')) params = JSON.parse(raw);
      else if (raw) params = Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return fail(400, "Bad Request: can't parse JSON object");
    }
    this.calls.push({ method, params });
    const chatOf = (v: unknown) => this.chats.get(Number(v));
    if ((method === 'getChat' || method === 'sendMessage') && this.blocked.has(Number(params.chat_id)))
      return fail(403, 'Forbidden: bot was blocked by the user');

    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: BOT_USER });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
        const limit = Math.min(Number(params.limit ?? 100), 100);
        return reply(200, { ok: true, result: this.updates.slice(0, limit) });
      }
      case 'getChat': {
        const chat = chatOf(params.chat_id);
        if (!chat) return fail(400, 'Bad Request: chat not found');
        return reply(200, { ok: true, result: { ...chat, accent_color_id: 0, max_reaction_count: 11 } });
      }
      case 'sendMessage': {
        const chat = chatOf(params.chat_id);
        if (!chat) return fail(400, 'Bad Request: chat not found');
        if (typeof params.text !== 'string' || params.text.length === 0)
          return fail(400, 'Bad Request: message text is empty');
        const fault = this.sendFaults.shift();
        if (fault === 'rate_limited') return fail(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        const message = { message_id: this.nextMessageId++, chat_id: chat.id, text: params.text };
        this.sent.push(message);
        if (fault === 'cut_after_send') return void req.socket.destroy();
        return reply(200, {
          ok: true,
          result: {
            message_id: message.message_id,
            date: Math.floor(Date.now() / 1000),
            chat,
            from: BOT_USER,
            text: params.text,
          },
        });
      }
      default:
        return fail(404, 'Not Found: method not found');
    }
  }
}
