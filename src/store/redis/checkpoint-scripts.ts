/**
 * Claims ownerships with optimistic concurrency, as the Blob checkpoint store does with If-Match / If-None-Match:
 * a claim without an etag succeeds only where no ownership exists, one with an etag only where the stored
 * ownership has that etag. KEYS: the ownerships hash. ARGV: per claim (partition, expected etag or '', new etag,
 * owner ID). Stamps `lastModifiedTimeInMs` with the Redis server's TIME (one clock for every instance, as the blob
 * service's Last-Modified is). Returns `[time ms, [claimed partitions…]]`.
 */
export const CLAIM_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local claimed = {}
for a = 1, #ARGV, 4 do
  local current = redis.call('HGET', KEYS[1], ARGV[a])
  local ok
  if current then ok = ARGV[a + 1] ~= '' and cjson.decode(current).etag == ARGV[a + 1] else ok = ARGV[a + 1] == '' end
  if ok then
    redis.call('HSET', KEYS[1], ARGV[a], cjson.encode({ ownerId = ARGV[a + 3], etag = ARGV[a + 2], lastModifiedTimeInMs = now }))
    claimed[#claimed + 1] = ARGV[a]
  end
end
return { now, claimed }
`;

/** Deletes an ownership only while it has the given etag. KEYS: the ownerships hash. ARGV: partition, etag. */
export const RELEASE_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).etag == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

/** Deletes a lock only while it holds the given token. KEYS: the lock. ARGV: token. */
export const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Replaces a scope's checkpoints and clears the idle mark, only while the lock holds the token. KEYS: lock, idle
 * mark, checkpoints hash. ARGV: token, then per checkpoint (partition, JSON). Errors when the lock was lost.
 */
export const REPLACE_CHECKPOINTS_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('the reopen lock expired before the checkpoints were replaced') end
redis.call('DEL', KEYS[3])
for a = 2, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[a], ARGV[a + 1]) end
redis.call('DEL', KEYS[2])
return 1
`;
