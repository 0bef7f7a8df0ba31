import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { IMAGE_HEADER_MAX_BYTES } from '../../src/protocol/imageFormat.js';
import { connectAgent, connectCustomer, resumeTokenOf } from '../helpers/client.js';
import { PNG, pngOfSize } from '../helpers/images.js';
import { RawUpload, type RawResponse } from '../helpers/rawUpload.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

/** How long a state reached through the server's event loop may take on a busy machine. */
const EVENTUALLY = { timeout: 10_000 };

const servers = useServers();
const { track, defer } = servers;
let server: TestServer;

/** A customer seated with an agent (named after the customer): the customer's resume token and conversation. */
async function seat(name: string): Promise<{ token: string; conversationId: string }> {
  const agent = track(await connectAgent(server, `${name}-agent`));
  const customer = track(await connectCustomer(server, name, agent));
  const conversationId = customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId as string;
  return { token: resumeTokenOf(customer), conversationId };
}

const raw = (options: ConstructorParameters<typeof RawUpload>[1]): RawUpload => {
  const r = new RawUpload(server, options);
  defer(() => r.socket.destroy());
  return r;
};

/** The answers that have come so far, by upload, filled in as they come. */
function answersOf(uploads: RawUpload[]): Map<RawUpload, RawResponse> {
  const answers = new Map<RawUpload, RawResponse>();
  for (const u of uploads)
    void u.response.then(
      (r) => answers.set(u, r),
      () => undefined,
    );
  return answers;
}

const tempFiles = (): string[] => {
  const dir = path.join(server.config.dataDir, 'images');
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.tmp'))
    .map((n) => path.join(dir, n));
};

/**
 * The server's memory as far as uploads could grow it: the JS heap and the buffers outside it,
 * after full collections. A turn of the event loop after each lets V8 finish freeing the
 * buffers' memory, which it does off the main thread.
 */
async function memoryAfterGc(): Promise<number> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

describe('image uploads in progress, capped', () => {
  it('holds 100 stalled uploads of one customer in a few MB, refusing all but the caps with 429 and Retry-After', async () => {
    // The per-minute upload rate is another limit: opened up here, so the caps are what answers.
    server = await servers.start({ UPLOADS_PER_MINUTE: '1000' });
    const { token } = await seat('bob');
    const declared = 5 * 1024 * 1024;
    const start = pngOfSize(4096);
    const more = Buffer.alloc(4 * 1024 * 1024, 1);
    const before = await memoryAfterGc();

    // Headers announcing 5 MiB and a few KB of a valid PNG, then nothing.
    const uploads = Array.from({ length: 100 }, () => raw({ token, contentLength: declared }));
    const answers = answersOf(uploads);
    await Promise.all(uploads.map((u) => u.send(start)));
    await expect.poll(() => answers.size, EVENTUALLY).toBe(98);
    for (const answer of answers.values()) {
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('2');
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'too_many_uploads', per: 'conversation', limit: 2 });
    }
    // The two let in stream to temp files; 4 MiB more each goes to disk, not to memory.
    const admitted = uploads.filter((u) => !answers.has(u));
    expect(admitted).toHaveLength(2);
    await expect.poll(() => tempFiles(), EVENTUALLY).toHaveLength(2);
    await Promise.all(admitted.map((u) => u.send(more)));
    await expect.poll(() => tempFiles().reduce((sum, f) => sum + fs.statSync(f).size, 0), EVENTUALLY).toBe(2 * (start.length + more.length));

    // What the two may hold besides their temp files: a header being read each.
    const allowance = 2 * IMAGE_HEADER_MAX_BYTES;
    expect((await memoryAfterGc()) - before).toBeLessThan(allowance + 4 * 1024 * 1024);
  });

  it('lets a conversation have IMAGE_UPLOADS_PER_CONVERSATION uploads in progress, and gives the place back when one ends', async () => {
    server = await servers.start({ IMAGE_UPLOADS_PER_CONVERSATION: '2' });
    const { token } = await seat('bob');
    const image = pngOfSize(8192);
    const first = raw({ token, contentLength: image.length });
    const second = raw({ token, contentLength: image.length });
    await Promise.all([first.send(image.subarray(0, 4096)), second.send(image.subarray(0, 4096))]);
    await expect.poll(() => tempFiles(), EVENTUALLY).toHaveLength(2);

    const third = raw({ token, contentLength: image.length });
    await third.send(image);
    expect((await third.response).status).toBe(429);
    expect(await third.json()).toMatchObject({ error: 'too_many_uploads', per: 'conversation', limit: 2 });

    await first.send(image.subarray(4096));
    expect((await first.response).status).toBe(201);
    const fourth = raw({ token, contentLength: image.length });
    await fourth.send(image);
    expect((await fourth.response).status).toBe(201);
  });

  it('lets a client address have IMAGE_UPLOADS_PER_ADDRESS uploads in progress across conversations', async () => {
    server = await servers.start({ IMAGE_UPLOADS_PER_ADDRESS: '4' });
    const conversations = [await seat('bob'), await seat('carol'), await seat('erin')];
    // An agent uploading into three conversations at once, two each, from one address.
    const uploads = conversations.flatMap(({ conversationId }) =>
      [1, 2].map(() => raw({ token: TEST_KEY, query: `?conversation=${conversationId}`, contentLength: 8192 })),
    );
    const answers = answersOf(uploads);
    await Promise.all(uploads.map((u) => u.send(PNG)));
    await expect.poll(() => answers.size, EVENTUALLY).toBe(2);
    for (const answer of answers.values()) {
      expect(answer.status).toBe(429);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'too_many_uploads', per: 'address', limit: 4 });
    }
    await expect.poll(() => tempFiles(), EVENTUALLY).toHaveLength(4);
  });

  it('counts uploads by the client address a trusted proxy names, not by the proxy\u2019s', async () => {
    server = await servers.start({ TRUST_PROXY: 'loopback', IMAGE_UPLOADS_PER_ADDRESS: '1' });
    const bob = await seat('bob');
    const carol = await seat('carol');
    const fromBob = raw({ token: bob.token, contentLength: 8192, headers: { 'X-Forwarded-For': '203.0.113.7' } });
    const fromCarol = raw({ token: carol.token, contentLength: 8192, headers: { 'X-Forwarded-For': '198.51.100.9' } });
    await Promise.all([fromBob.send(PNG), fromCarol.send(PNG)]);
    await expect.poll(() => tempFiles(), EVENTUALLY).toHaveLength(2);
    const bobAgain = raw({ token: bob.token, contentLength: 8192, headers: { 'X-Forwarded-For': '203.0.113.7' } });
    await bobAgain.send(PNG);
    expect(await bobAgain.json()).toMatchObject({ error: 'too_many_uploads', per: 'address', limit: 1 });
  });
});
