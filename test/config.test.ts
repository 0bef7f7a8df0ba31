import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the seed ports and generates a key by default', () => {
    const c = loadConfig({}, []);
    expect([c.httpPort, c.wsPort]).toEqual([3001, 3000]);
    expect(c.kefuKeyGenerated).toBe(true);
    expect(c.kefuKey.length).toBeGreaterThanOrEqual(20);
  });

  it('takes images of up to 5 MiB by default, and another limit when told', () => {
    expect(loadConfig({}, []).maxImageBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({ MAX_IMAGE_BYTES: '1000' }, []).maxImageBytes).toBe(1000);
  });

  it('limits each client address by default, with deadlines a slow phone uploading 5 MiB survives', () => {
    const c = loadConfig({}, []);
    expect(c).toMatchObject({
      getroomPerMinute: 120,
      upgradesPerMinute: 240,
      uploadsPerMinute: 30,
      publicPostsPerMinute: 5,
      maxSocketsPerAddress: 256,
      headerTimeoutMs: 5000,
      bodyTimeoutMs: 10_000,
      uploadTimeoutMs: 300_000,
      uploadIdleMs: 30_000,
    });
    // 5 MiB at 200 kbit/s.
    expect(c.uploadTimeoutMs).toBeGreaterThan(((5 * 1024 * 1024 * 8) / 200_000) * 1000);
  });

  it('takes each per-address limit and deadline from the environment', () => {
    const c = loadConfig({ GETROOM_PER_MINUTE: '7', MAX_SOCKETS_PER_ADDRESS: '9', HEADER_TIMEOUT_MS: '1234', UPLOAD_IDLE_MS: '99' }, []);
    expect([c.getroomPerMinute, c.maxSocketsPerAddress, c.headerTimeoutMs, c.uploadIdleMs]).toEqual([7, 9, 1234, 99]);
  });

  it('lets a flag override the environment', () => {
    const c = loadConfig({ HTTP_PORT: '4001', KEFU_KEY: 'abcdefgh' }, ['--http-port', '5001', '--ws-port=5000']);
    expect([c.httpPort, c.wsPort, c.kefuKey, c.kefuKeyGenerated]).toEqual([5001, 5000, 'abcdefgh', false]);
  });

  it.each([
    [{ HTTP_PORT: 'abc' }, []],
    [{ WS_PORT: '70000' }, []],
    [{ RATE_BURST: '0' }, []],
    [{ KEFU_KEY: 'short' }, []],
    [{ STORE: 'mongo' }, []],
    [{ MAX_IMAGE_BYTES: '0' }, []],
    [{ IMAGE_URL_TTL_MS: '1.5' }, []],
    [{ GETROOM_PER_MINUTE: '0' }, []],
    [{ MAX_SOCKETS_PER_ADDRESS: 'many' }, []],
    [{ HEADER_TIMEOUT_MS: '-1' }, []],
    [{}, ['--nope', '1']],
    [{}, ['--http-port']],
  ])('refuses %j %j', (env, argv) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
  });
});
