import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the seed ports and has no shared agent key by default', () => {
    const c = loadConfig({}, []);
    expect([c.httpPort, c.wsPort]).toEqual([3001, 3000]);
    expect(c.kefuKey).toBe('');
  });

  it('keeps sessions a week idle and a month at most, and locks a login after five failed sign-ins for a quarter hour', () => {
    const c = loadConfig({}, []);
    expect([c.sessionIdleMs, c.sessionMaxMs]).toEqual([7 * 86_400_000, 30 * 86_400_000]);
    expect([c.signInFailuresPerAccount, c.signInFailuresPerAddress, c.signInLockoutMs]).toEqual([5, 30, 15 * 60_000]);
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

  it('bounds images by default: 50 megapixels, 2 uploads at once per conversation and 4 per address, 50 MiB per conversation, 2 GiB in all, unsent kept an hour, 90 days after the end', () => {
    const c = loadConfig({}, []);
    expect([c.maxImagePixels, c.imageUploadsPerConversation, c.imageUploadsPerAddress]).toEqual([50_000_000, 2, 4]);
    expect([c.imageConversationQuotaBytes, c.imageTotalQuotaBytes]).toEqual([50 * 1024 * 1024, 2 * 1024 * 1024 * 1024]);
    expect([c.imageUnsentTtlMs, c.imageRetentionMs]).toEqual([60 * 60_000, 90 * 24 * 60 * 60_000]);
  });

  it('takes the image bounds from the environment and flags', () => {
    const c = loadConfig(
      { MAX_IMAGE_PIXELS: '1000000', IMAGE_UPLOADS_PER_CONVERSATION: '1', IMAGE_UPLOADS_PER_ADDRESS: '8', IMAGE_CONVERSATION_QUOTA_BYTES: '1000' },
      ['--image-total-quota-bytes', '5000', '--image-unsent-ttl-ms=60000', '--image-retention-ms', '86400000'],
    );
    expect([c.maxImagePixels, c.imageUploadsPerConversation, c.imageUploadsPerAddress, c.imageConversationQuotaBytes]).toEqual([1_000_000, 1, 8, 1000]);
    expect([c.imageTotalQuotaBytes, c.imageUnsentTtlMs, c.imageRetentionMs]).toEqual([5000, 60_000, 86_400_000]);
  });

  it('lets a flag override the environment', () => {
    const c = loadConfig({ HTTP_PORT: '4001', KEFU_KEY: 'abcdefgh' }, ['--http-port', '5001', '--ws-port=5000']);
    expect([c.httpPort, c.wsPort, c.kefuKey]).toEqual([5001, 5000, 'abcdefgh']);
  });

  it('has no single sign-on by default, and takes one with its three options, PUBLIC_URL without its trailing slash', () => {
    const none = loadConfig({}, []);
    expect([none.oidcIssuer, none.oidcClientId, none.oidcClientSecret, none.oidcName, none.publicUrl]).toEqual(['', '', '', '', '']);
    const sso = {
      OIDC_ISSUER: 'https://id.example.com/realms/team',
      OIDC_CLIENT_ID: 'kefu',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_NAME: 'Example ID',
      PUBLIC_URL: 'https://chat.example.com/',
    };
    const c = loadConfig(sso, []);
    expect([c.oidcIssuer, c.oidcClientId, c.oidcClientSecret, c.oidcName, c.publicUrl]).toEqual([
      'https://id.example.com/realms/team',
      'kefu',
      's3cret',
      'Example ID',
      'https://chat.example.com',
    ]);
    // A provider on this machine (tests, development) may be plain http.
    for (const issuer of ['http://127.0.0.1:9999', 'http://localhost:9999/oidc', 'http://[::1]:9999']) {
      expect(loadConfig({ ...sso, OIDC_ISSUER: issuer }, []).oidcIssuer).toBe(issuer);
    }
  });

  const SSO = { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'kefu', OIDC_CLIENT_SECRET: 's3cret' };

  it.each([
    [{ OIDC_ISSUER: 'https://id.example.com' }],
    [{ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'kefu' }],
    [{ OIDC_CLIENT_SECRET: 's3cret' }],
    [{ OIDC_NAME: 'Example ID' }],
    [{ ...SSO, OIDC_ISSUER: 'http://id.example.com' }],
    [{ ...SSO, OIDC_ISSUER: 'http://10.0.0.5:8080' }],
    [{ ...SSO, OIDC_ISSUER: 'id.example.com' }],
    [{ ...SSO, OIDC_NAME: 'x'.repeat(61) }],
    [{ ...SSO, OIDC_NAME: 'Example\nID' }],
    [{ PUBLIC_URL: 'chat.example.com' }],
    [{ PUBLIC_URL: 'ftp://chat.example.com' }],
    [{ PUBLIC_URL: 'https://chat.example.com/?x=1' }],
  ])('refuses the single sign-on options %j', (env) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
  });

  it('has no widget embedding by default, and takes its origins, secret and IDENTITY_REQUIRED', () => {
    expect(loadConfig({}, [])).toMatchObject({ widgetOrigins: [], widgetSecret: '', identityRequired: false });
    const secret = 'x'.repeat(32);
    expect(loadConfig({ WIDGET_ORIGINS: 'https://shop.example.com, http://localhost:8080', WIDGET_SECRET: secret, IDENTITY_REQUIRED: '1' }, [])).toMatchObject({
      widgetOrigins: ['https://shop.example.com', 'http://localhost:8080'],
      widgetSecret: secret,
      identityRequired: true,
    });
  });

  it.each([
    [{ WIDGET_ORIGINS: 'https://shop.example.com/' }],
    [{ WIDGET_ORIGINS: 'https://shop.example.com/path' }],
    [{ WIDGET_ORIGINS: 'https://*.example.com' }],
    [{ WIDGET_ORIGINS: 'shop.example.com' }],
    [{ WIDGET_ORIGINS: 'https://shop.example.com:443' }],
    [{ WIDGET_ORIGINS: "https://shop.example.com; script-src 'unsafe-inline'" }],
    [{ WIDGET_SECRET: 'too-short' }],
    [{ IDENTITY_REQUIRED: '1' }],
    [{ IDENTITY_REQUIRED: 'yes', WIDGET_SECRET: 'x'.repeat(32) }],
  ])('refuses the widget options %j', (env) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
  });

  it.each([
    [{ HTTP_PORT: 'abc' }, []],
    [{ WS_PORT: '70000' }, []],
    [{ RATE_BURST: '0' }, []],
    [{ KEFU_KEY: 'short' }, []],
    [{ SIGN_IN_FAILURES_PER_ACCOUNT: '0' }, []],
    [{ SESSION_IDLE_MS: 'week' }, []],
    [{ STORE: 'mongo' }, []],
    [{ MAX_IMAGE_BYTES: '0' }, []],
    [{ IMAGE_URL_TTL_MS: '1.5' }, []],
    [{ GETROOM_PER_MINUTE: '0' }, []],
    [{ MAX_SOCKETS_PER_ADDRESS: 'many' }, []],
    [{ HEADER_TIMEOUT_MS: '-1' }, []],
    [{ MAX_IMAGE_PIXELS: '0' }, []],
    [{ IMAGE_UPLOADS_PER_CONVERSATION: '-1' }, []],
    [{ IMAGE_UPLOADS_PER_ADDRESS: 'many' }, []],
    [{ IMAGE_TOTAL_QUOTA_BYTES: '2GiB' }, []],
    [{ IMAGE_RETENTION_MS: '0' }, []],
    [{}, ['--nope', '1']],
    [{}, ['--http-port']],
  ])('refuses %j %j', (env, argv) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
  });
});

describe('pre-chat form and business hours', () => {
  it('asks only for the name and is always open by default', () => {
    const c = loadConfig({}, []);
    expect(c.prechatFields).toEqual({ email: 'off', question: 'off' });
    expect(c.businessHours).toBeNull();
  });

  it('reads the pre-chat fields with which are required', () => {
    expect(loadConfig({ PRECHAT_FIELDS: 'name,email:required,question' }, []).prechatFields).toEqual({ email: 'required', question: 'optional' });
    expect(loadConfig({ PRECHAT_FIELDS: 'question:required' }, []).prechatFields).toEqual({ email: 'off', question: 'required' });
  });

  it('refuses an unknown pre-chat field, an unknown mode and an optional name, saying how to write it', () => {
    expect(() => loadConfig({ PRECHAT_FIELDS: 'name,phone' }, [])).toThrow(/PRECHAT_FIELDS.*"phone" is not a field.*name,email:required,question/);
    expect(() => loadConfig({ PRECHAT_FIELDS: 'email:must' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ PRECHAT_FIELDS: 'name:optional' }, [])).toThrow(/always required/);
  });

  it('reads weekly hours in a time zone', () => {
    const c = loadConfig({ BUSINESS_HOURS: 'mon-fri 09:00-18:00; sat 10:00-14:00', BUSINESS_TZ: 'Asia/Shanghai' }, []);
    expect(c.businessTz).toBe('Asia/Shanghai');
    expect(c.businessHours?.[5]).toEqual([{ from: 600, to: 840 }]);
  });

  it('refuses hours it cannot read, a zone Intl does not know, and hours without a zone', () => {
    expect(() => loadConfig({ BUSINESS_HOURS: 'weekdays 9-6', BUSINESS_TZ: 'UTC' }, [])).toThrow(/BUSINESS_HOURS.*"weekdays".*mon-fri 09:00-18:00/);
    expect(() => loadConfig({ BUSINESS_HOURS: 'mon 09:00-18:00', BUSINESS_TZ: 'Asia/Beijing' }, [])).toThrow(
      /BUSINESS_TZ.*"Asia\/Beijing" is not an IANA time zone/,
    );
    expect(() => loadConfig({ BUSINESS_HOURS: 'mon 09:00-18:00' }, [])).toThrow(/BUSINESS_HOURS needs BUSINESS_TZ/);
  });
});
