import { describe, expect, it } from 'vitest';
import { redactRedisUrl, redactSecrets, urlPassword } from '../../../src/store/redis/redis-url.js';

describe('REDIS_URL redaction', () => {
  it('hides the userinfo password and every query value (ioredis also reads ?password=)', () => {
    expect(redactRedisUrl('redis://user:s3cret@db.example:6379/2')).toBe('redis://user:***@db.example:6379/2');
    expect(redactRedisUrl('redis://127.0.0.1:26379/?password=S3cr3t-P%40ss%2Fw%3Ard')).toBe('redis://127.0.0.1:26379/?password=***');
    expect(redactRedisUrl('redis://:%ZZbad@host')).toBe('redis://:***@host');
    expect(redactRedisUrl('not a url ?password=x')).toBe('redis://***');
  });

  it('finds the password in the query so error messages are scrubbed of it, raw or encoded', () => {
    const url = 'redis://127.0.0.1:1/?password=hunter2%2Fsecret';
    expect(urlPassword(url)).toBe('hunter2/secret');
    expect(redactSecrets(`AUTH hunter2/secret failed at ${url}`, [urlPassword(url)])).toBe('AUTH *** failed at redis://127.0.0.1:1/?password=***');
  });
});
