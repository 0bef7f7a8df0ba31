import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start } = useServers();
let server: TestServer;
beforeEach(async () => {
  server = await start({ MAX_MESSAGE_CHARS: '100' });
});

interface Reply {
  id: number;
  shortcut: string;
  title: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

/** A request to the canned replies API; `body` is sent as JSON unless it is already a string. */
async function call(method: string, path: string, body?: unknown, token: string | null = TEST_KEY): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.httpUrl}/api/canned-replies${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text) };
}

const create = async (shortcut: string, title = 'T', body = 'B'): Promise<Reply> => {
  const res = await call('POST', '', { shortcut, title, body });
  if (res.status !== 201) throw new Error(`create answered ${res.status}`);
  return res.json as Reply;
};

describe('canned replies API', () => {
  it('creates a reply (201), normalising the shortcut, and lists it', async () => {
    const res = await call('POST', '', { shortcut: ' /Refund ', title: ' 退款流程 ', body: '您好,退款将在 3 个工作日内原路返回。' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(Number), shortcut: 'refund', title: '退款流程', body: '您好,退款将在 3 个工作日内原路返回。' });
    const list = await call('GET', '');
    expect(list).toEqual({ status: 200, json: { cannedReplies: [res.json] } });
  });

  it('edits a reply with PUT or PATCH, changing only the fields given', async () => {
    const made = await create('hello', 'Hello', 'Hi there');
    const put = await call('PUT', `/${made.id}`, { shortcut: 'hi', title: 'Hi', body: 'Hello!' });
    expect(put).toMatchObject({ status: 200, json: { id: made.id, shortcut: 'hi', title: 'Hi', body: 'Hello!' } });
    const patch = await call('PATCH', `/${made.id}`, { body: '您好!' });
    expect(patch).toMatchObject({ status: 200, json: { shortcut: 'hi', title: 'Hi', body: '您好!' } });
  });

  it('deletes a reply (204), then answers 404 for it', async () => {
    const made = await create('bye');
    expect((await call('DELETE', `/${made.id}`)).status).toBe(204);
    expect((await call('DELETE', `/${made.id}`)).status).toBe(404);
    expect((await call('PATCH', `/${made.id}`, { title: 'x' })).json).toMatchObject({ error: 'not_found' });
    expect((await call('GET', '')).json).toEqual({ cannedReplies: [] });
  });

  it('answers 409 shortcut_taken to a second reply, or an edit, with a shortcut in use', async () => {
    await create('ship');
    const other = await create('track');
    expect(await call('POST', '', { shortcut: 'SHIP', title: 'x', body: 'y' })).toMatchObject({ status: 409, json: { error: 'shortcut_taken' } });
    expect(await call('PATCH', `/${other.id}`, { shortcut: 'ship' })).toMatchObject({ status: 409, json: { error: 'shortcut_taken' } });
  });

  it.each([
    ['GET', ''],
    ['POST', ''],
    ['PUT', '/1'],
    ['PATCH', '/1'],
    ['DELETE', '/1'],
  ])('answers 401 to %s without the agent key, and to a wrong key', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : { shortcut: 'x', title: 'x', body: 'x' };
    expect((await call(method, path, body, null)).status).toBe(401);
    const wrong = await call(method, path, body, 'wrong-key-wrong');
    expect(wrong).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect((await call('GET', '')).json).toEqual({ cannedReplies: [] });
  });

  it.each([
    ['a shortcut with a space', { shortcut: 'two words', title: 't', body: 'b' }, 'bad_shortcut'],
    ['an empty shortcut', { shortcut: '/', title: 't', body: 'b' }, 'bad_shortcut'],
    ['a shortcut over 32 characters', { shortcut: 'x'.repeat(33), title: 't', body: 'b' }, 'bad_shortcut'],
    ['a missing shortcut', { title: 't', body: 'b' }, 'bad_shortcut'],
    ['a blank title', { shortcut: 's', title: '  ', body: 'b' }, 'bad_title'],
    ['a title over 60 characters', { shortcut: 's', title: '题'.repeat(61), body: 'b' }, 'bad_title'],
    ['a title with a control character', { shortcut: 's', title: 'a\u0007b', body: 'b' }, 'bad_title'],
    ['a blank body', { shortcut: 's', title: 't', body: ' \n ' }, 'bad_body'],
    ['a body longer than a message may be', { shortcut: 's', title: 't', body: 'x'.repeat(101) }, 'bad_body'],
    ['a body that is not a string', { shortcut: 's', title: 't', body: 5 }, 'bad_body'],
    ['an array', [], 'bad_json'],
    ['malformed JSON', '{"shortcut": ', 'bad_json'],
  ])('answers 400 to %s', async (_label, body, error) => {
    const res = await call('POST', '', body);
    expect(res).toMatchObject({ status: 400, json: { error } });
    expect((await call('GET', '')).json).toEqual({ cannedReplies: [] });
  });

  it('answers 400 to an edit that changes nothing or breaks a rule, and 404 to a bad id', async () => {
    const made = await create('a');
    expect(await call('PATCH', `/${made.id}`, {})).toMatchObject({ status: 400, json: { error: 'bad_json' } });
    expect(await call('PATCH', `/${made.id}`, { title: '' })).toMatchObject({ status: 400, json: { error: 'bad_title' } });
    expect((await call('PATCH', '/abc', { title: 'x' })).status).toBe(404);
    expect((await call('DELETE', '/0')).status).toBe(404);
  });

  it('answers 413 to a body over 16 kB', async () => {
    const res = await call('POST', '', { shortcut: 's', title: 't', body: 'x'.repeat(20_000) });
    expect(res).toMatchObject({ status: 413, json: { error: 'too_large' } });
  });

  it('keeps hostile text as it was given: it is data, rendered as text by the console', async () => {
    const img = '<img src=x onerror=window.__pwned=1>';
    const made = await call('POST', '', { shortcut: 'x', title: img, body: img });
    expect(made).toMatchObject({ status: 201, json: { title: img, body: img } });
  });
});
