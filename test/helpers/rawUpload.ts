import net from 'node:net';
import type { TestServer } from './server.js';

/** An HTTP answer as read off a raw socket. */
export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * POST /api/images over a raw TCP socket, for what fetch cannot do: announce a body and then
 * send only part of it (a stalled upload), or send it chunked and never end it. `response`
 * settles with the server's answer whenever it comes (before the body is done, for a refusal);
 * `closed` when the server (or the test) closes the connection.
 */
export class RawUpload {
  readonly socket: net.Socket;
  readonly response: Promise<RawResponse>;
  readonly closed: Promise<void>;
  private readonly chunked: boolean;

  constructor(server: TestServer, options: { token: string; query?: string; contentLength?: number; headers?: Record<string, string> }) {
    this.chunked = options.contentLength === undefined;
    this.socket = net.connect(server.httpPort, '127.0.0.1');
    // The server closes refused uploads while we may still be writing: EPIPE and ECONNRESET are expected.
    this.socket.on('error', () => {});
    const length = this.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${options.contentLength}`;
    this.socket.write(
      `POST /api/images${options.query ?? ''} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${options.token}\r\n` +
        `Content-Type: image/png\r\n${length}\r\n${Object.entries(options.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
    );
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.response = new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      const onData = (data: Buffer): void => {
        received = Buffer.concat([received, data]);
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) return;
        const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const body = received.subarray(end + 4);
        if (body.length < Number(headers['content-length'] ?? 0)) return;
        this.socket.off('data', onData);
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') });
      };
      this.socket.on('data', onData);
      void this.closed.then(() => reject(new Error('closed without an answer')));
    });
    // A test that never looks at the answer must not see an unhandled rejection.
    this.response.catch(() => {});
  }

  /** Sends part of the body (as one chunk when chunked); resolves once the socket took it. */
  send(data: Buffer): Promise<void> {
    const framed = this.chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
    return new Promise((resolve) => {
      if (this.socket.write(framed)) return resolve();
      // Drained, or closed by the server (then nothing more will be taken).
      const done = (): void => {
        this.socket.off('drain', done).off('close', done);
        resolve();
      };
      this.socket.on('drain', done).on('close', done);
    });
  }

  /** Ends a chunked body (the last, empty chunk). */
  end(): void {
    this.socket.write('0\r\n\r\n');
  }

  /** The JSON body of the answer. */
  async json(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.response).body) as Record<string, unknown>;
  }
}
