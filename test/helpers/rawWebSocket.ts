import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** A frame from the server (RFC 6455 section 5.2): its opcode and payload. */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

const OPCODE = { text: 0x1, binary: 0x2, close: 0x8 } as const;

/**
 * A WebSocket client written on a bare TCP socket, for the clients the `ws` library would never
 * be: this one keeps sending after the server's close frame and never answers it (section 5.5.1
 * says it must). It reads everything the server sends and answers nothing, pings included.
 */
export class RawWebSocket {
  readonly frames: RawFrame[] = [];
  /** The TCP connection ended (the server cut it, or closed it after a handshake). */
  readonly closed: Promise<void>;
  private pending: Buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** Connects and upgrades; rejects unless the server answers 101. */
  static async open(port: number, path: string): Promise<RawWebSocket> {
    const socket = net.connect(port, '127.0.0.1');
    // A cut connection reports ECONNRESET or EPIPE here; `closed` is what the tests wait for.
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('close', () => reject(new Error('connection closed before the upgrade')));
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let head = Buffer.alloc(0);
    const rest = await new Promise<Buffer>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 101 /.test(status)) reject(new Error(`upgrade refused: ${status}`));
        else resolve(head.subarray(end + 4));
      };
      socket.on('data', onData);
    });
    const raw = new RawWebSocket(socket);
    raw.read(rest);
    socket.on('data', (chunk: Buffer) => raw.read(chunk));
    return raw;
  }

  /** Writes one masked frame; false when the socket's buffer is full (wait for drain). */
  send(payload: string | Buffer, opcode: number = OPCODE.text): boolean {
    return this.socket.write(encode(payload, opcode));
  }

  /** Writes `count` text frames in one write, so the server reads them together. */
  sendBurst(payload: string, count: number): boolean {
    return this.socket.write(Buffer.concat(Array.from({ length: count }, () => encode(payload, OPCODE.text))));
  }

  sendBinary(payload: Buffer): boolean {
    return this.send(payload, OPCODE.binary);
  }

  /**
   * Sends `payload` as text frames, as fast as the connection takes them, until it ends:
   * resolves with how many frames were written.
   */
  async flood(payload: string): Promise<number> {
    let sent = 0;
    while (!this.ended) {
      sent++;
      if (this.send(payload)) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.once('drain', done);
        this.socket.once('close', done);
      });
    }
    return sent;
  }

  /** The text frames received so far, parsed as JSON. */
  texts(): Array<Record<string, unknown>> {
    return this.frames.filter((f) => f.opcode === OPCODE.text).map((f) => JSON.parse(f.payload.toString()) as Record<string, unknown>);
  }

  /** Waits for a frame that satisfies `pred`; fails if the connection ends first or after `ms`. */
  async frame(pred: (f: RawFrame) => boolean, ms = 5000): Promise<RawFrame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.frames.find(pred);
      if (found) return found;
      if (this.ended) throw new Error('connection ended while waiting for a frame');
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
  }

  /** The code of the server's close frame, once it arrives. */
  async closeCode(ms = 5000): Promise<number> {
    const close = await this.frame((f) => f.opcode === OPCODE.close, ms);
    return close.payload.readUInt16BE(0);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const p = this.pending;
      if (p.length < 2) return;
      let length = (p[1] as number) & 0x7f;
      let at = 2;
      if (length === 126) {
        if (p.length < 4) return;
        length = p.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (p.length < 10) return;
        length = Number(p.readBigUInt64BE(2));
        at = 10;
      }
      if (p.length < at + length) return;
      this.frames.push({ opcode: (p[0] as number) & 0x0f, payload: Buffer.from(p.subarray(at, at + length)) });
      this.pending = p.subarray(at + length);
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A client frame (RFC 6455 section 5.2): final, masked. */
function encode(payload: string | Buffer, opcode: number): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const mask = randomBytes(4);
  const lengthBytes = data.length < 126 ? 1 : data.length < 65536 ? 3 : 9;
  const frame = Buffer.alloc(1 + lengthBytes + 4 + data.length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 1) frame[1] = 0x80 | data.length;
  else if (lengthBytes === 3) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(data.length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(data.length), 2);
  }
  const at = 1 + lengthBytes;
  mask.copy(frame, at);
  for (let i = 0; i < data.length; i++) frame[at + 4 + i] = (data[i] as number) ^ (mask[i % 4] as number);
  return frame;
}
