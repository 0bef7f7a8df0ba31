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
    [{}, ['--nope', '1']],
    [{}, ['--http-port']],
  ])('refuses %j %j', (env, argv) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
  });
});
