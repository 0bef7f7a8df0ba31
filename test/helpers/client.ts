import WebSocket from 'ws';
import { TEST_KEY, type TestServer } from './server.js';

/** A frame as the server sends it; extra fields are allowed. */
export interface Frame {
  neiRong: string;
  shuiFaDe: string;
  type?: string;
  event?: string;
  error?: string;
  role?: string;
  [k: string]: unknown;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A real `ws` client that queues every frame, so a test awaits the next one instead of
 * sleeping, and can assert that nothing else arrived.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  private read = 0;
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<Closed>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    // Errors surface through `opened`/`closed`; this keeps an unread error from throwing.
    ws.on('error', () => {});
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The next frame not yet read; fails if the socket closes first or after `ms`. */
  async next(ms = 5000): Promise<Frame> {
    const deadline = Date.now() + ms;
    while (this.read >= this.frames.length) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames[this.read++] as Frame;
  }

  /** Reads frames until one matches, returning it (frames skipped are kept in `frames`). */
  async nextMatching(pred: (f: Frame) => boolean, ms = 5000): Promise<Frame> {
    for (;;) {
      const f = await this.next(ms);
      if (pred(f)) return f;
    }
  }

  /** Frames received but not yet read by next(). */
  unread(): Frame[] {
    return this.frames.slice(this.read);
  }

  send(content: string, extra: Record<string, unknown> = {}): void {
    this.ws.send(JSON.stringify({ neiRong: content, ...extra }));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  close(code?: number): Promise<Closed> {
    this.ws.close(code);
    return this.closed;
  }
}

/** Opens a socket to the given URL (or path+query on the ws port) without waiting. */
export function connect(url: string, headers: Record<string, string> = {}): TestClient {
  return new TestClient(new WebSocket(url, { headers }));
}

export function agentUrl(server: TestServer, name: string, key: string = TEST_KEY): string {
  return `${server.wsUrl}/?type=kefu&name=${encodeURIComponent(name)}&key=${encodeURIComponent(key)}`;
}

export function customerUrl(server: TestServer, name: string, ticket: string): string {
  return `${server.wsUrl}/?type=yonghu&name=${encodeURIComponent(name)}&ticket=${encodeURIComponent(ticket)}`;
}

/**
 * Connects an agent and waits for the room_opened notice: only then is the room placeable.
 * `query` adds parameters, e.g. `&v=2` for a protocol-2 console.
 */
export async function connectAgent(server: TestServer, name: string, query = ''): Promise<TestClient> {
  const agent = connect(agentUrl(server, name) + query);
  await agent.opened;
  const first = await agent.next();
  if (first.event !== 'room_opened') throw new Error(`expected room_opened, got ${JSON.stringify(first)}`);
  return agent;
}

export interface RoomAnswer {
  room: boolean;
  kefuName?: string;
  ticket?: string;
  [k: string]: unknown;
}

export async function getRoom(server: TestServer, userName: string): Promise<RoomAnswer> {
  const res = await fetch(`${server.httpUrl}/getroom?userName=${encodeURIComponent(userName)}`);
  if (res.status !== 200) throw new Error(`getroom answered ${res.status}`);
  return (await res.json()) as RoomAnswer;
}

/** /getroom then connect with the ticket; resolves once both sides got the entry notices. */
export async function connectCustomer(server: TestServer, name: string, agent?: TestClient, query = ''): Promise<TestClient> {
  const answer = await getRoom(server, name);
  if (!answer.room || !answer.ticket) throw new Error(`no room for ${name}`);
  const customer = connect(customerUrl(server, name, answer.ticket) + query);
  await customer.opened;
  await customer.nextMatching((f) => f.event === 'agent_assigned');
  if (agent) await agent.nextMatching((f) => f.event === 'customer_entered');
  return customer;
}

export function resumeUrl(server: TestServer, name: string, token: string, since?: number): string {
  const s = since === undefined ? '' : `&since=${since}`;
  return `${server.wsUrl}/?type=yonghu&name=${encodeURIComponent(name)}&resume=${encodeURIComponent(token)}${s}`;
}

/** The resume token a customer got on its agent_assigned (or first queue_position) frame. */
export function resumeTokenOf(customer: TestClient): string {
  const f = customer.frames.find((x) => typeof x.resume === 'string');
  if (!f) throw new Error('no resume token received');
  return f.resume as string;
}

/** Sends a message with a cid and waits for its ack (the echo carrying that cid). */
export async function sendAcked(client: TestClient, content: string, cid: string): Promise<Frame> {
  client.send(content, { cid });
  return client.nextMatching((f) => f.cid === cid && (f.type === 'message' || f.type === 'error'));
}
