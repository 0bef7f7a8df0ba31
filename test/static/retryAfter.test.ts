import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_AFTER_S, retryAfterSeconds } from '../../static/lib/http.js';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('how long the customer page waits after a 429 from /getroom', () => {
  it('takes Retry-After in seconds', () => {
    expect(retryAfterSeconds('7', NOW)).toBe(7);
  });

  it('takes Retry-After as an HTTP date, rounded up to whole seconds', () => {
    expect(retryAfterSeconds('Tue, 01 Dec 2026 10:00:30 GMT', NOW - 500)).toBe(31);
  });

  it('waits at least a second, even for 0 or a date already past', () => {
    expect(retryAfterSeconds('0', NOW)).toBe(1);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 09:00:00 GMT', NOW)).toBe(1);
  });

  it('waits the default when Retry-After is missing or unreadable', () => {
    expect(retryAfterSeconds(null, NOW)).toBe(DEFAULT_RETRY_AFTER_S);
    expect(retryAfterSeconds('soon', NOW)).toBe(DEFAULT_RETRY_AFTER_S);
    expect(retryAfterSeconds('-3', NOW)).toBe(DEFAULT_RETRY_AFTER_S);
  });

  it('waits at most an hour', () => {
    expect(retryAfterSeconds('999999', NOW)).toBe(3600);
  });
});
