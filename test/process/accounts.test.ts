import { describe, expect, it } from 'vitest';
import { api, cookieOf, connectSignedIn } from '../helpers/accounts.js';
import { connect } from '../helpers/client.js';
import { freePort, runCommand, spawnServer } from '../helpers/process.js';
import { tempDataDir } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { track, defer } = useServers();
const NO_KEY = { KEFU_KEY: '' };

async function start(env: { httpPort: number; wsPort: number; dataDir: string }) {
  const p = await spawnServer(env, NO_KEY);
  defer(async () => {
    p.child.kill('SIGKILL');
    await p.exited;
  });
  return p;
}

const ports = async (dataDir = tempDataDir()) => ({ httpPort: await freePort(), wsPort: await freePort(), dataDir });

describe('first run', () => {
  it('prints a one-time setup link that creates the owner once; no shared key exists', async () => {
    const env = await ports();
    const first = await start(env);
    const [, link] = await first.printed(
      /first run: create the owner account \(this link works once, for an hour\): (http:\/\/localhost:\d+\/setup\.html#token=[A-Za-z0-9_-]+)\n/,
    );
    const token = new URL(link as string).hash.slice('#token='.length);
    const owner = { token, name: '王经理', login: 'wang', password: 'the owner password' };
    const made = await api(first.server, '/api/setup', { body: owner });
    expect(made).toMatchObject({ status: 201, body: { account: { name: '王经理', role: 'owner' } } });
    expect((await api(first.server, '/api/auth/session', { cookie: cookieOf(made.headers) })).status).toBe(200);
    expect(await api(first.server, '/api/setup', { body: { ...owner, login: 'mallory' } })).toMatchObject({ status: 410, body: { error: 'bad_link' } });
    // No key was generated: the seed's agent connection has nothing to match.
    const seed = track(connect(`${first.server.wsUrl}/?type=kefu&name=x&key=anything-at-all`));
    expect((await seed.closed).code).toBe(4401);
    expect((await fetch(`${first.server.httpUrl}/api/conversations`, { headers: { Authorization: 'Bearer anything-at-all' } })).status).toBe(401);

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const second = await start(env);
    await second.printed(/agent console: http:\/\/localhost:\d+\/kefu\.html\n/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    // An owner exists: no setup link the second time.
    await expect(second.printed(/first run/)).rejects.toThrow();
  });
});

describe('node index --create-admin', () => {
  it('creates the owner first, then admins, with the password from stdin, and starts no server', async () => {
    const dataDir = tempDataDir();
    const env = { ...NO_KEY, DATA_DIR: dataDir };
    expect(await runCommand(['--create-admin', '王经理', '--login', 'wang'], 'the owner password\n', env)).toMatchObject({
      code: 0,
      stdout: 'created owner 王经理 (login wang)\n',
    });
    expect(await runCommand(['--create-admin', 'Li'], 'li password long\n', env)).toMatchObject({ code: 0, stdout: 'created admin Li (login li)\n' });
    const short = await runCommand(['--create-admin', 'Zhao'], 'short\n', env);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password: password is 10-256 characters');
    const taken = await runCommand(['--create-admin', 'Other', '--login', 'wang'], 'another password\n', env);
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining('login taken') });
    const chinese = await runCommand(['--create-admin', '小李'], 'another password\n', env);
    expect(chinese).toMatchObject({ code: 1, stderr: expect.stringContaining('give one with --login') });

    const server = await start({ ...(await ports(dataDir)) });
    expect((await api(server.server, '/api/auth/sign-in', { body: { login: 'wang', password: 'the owner password' } })).body).toMatchObject({
      account: { role: 'owner' },
    });
    expect((await api(server.server, '/api/auth/sign-in', { body: { login: 'li', password: 'li password long' } })).body).toMatchObject({
      account: { role: 'admin' },
    });
  });
});

describe('a restart', () => {
  it('keeps everyone signed in: the session survives SIGKILL, and the console reconnects with its cookie', async () => {
    const env = await ports();
    await runCommand(['--create-admin', 'Wang'], 'wang password long\n', { ...NO_KEY, DATA_DIR: env.dataDir });
    const first = await start(env);
    const signedIn = await api(first.server, '/api/auth/sign-in', { body: { login: 'wang', password: 'wang password long' } });
    const cookie = cookieOf(signedIn.headers);
    const agent = track(await connectSignedIn(first.server, cookie));
    first.child.kill('SIGKILL');
    expect((await agent.closed).code).toBe(1006);
    const second = await start(env);
    expect((await api(second.server, '/api/auth/session', { cookie })).body).toMatchObject({ account: { login: 'wang' } });
    track(await connectSignedIn(second.server, cookie));
  });
});
