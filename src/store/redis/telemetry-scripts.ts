/**
 * Appends a batch in one atomic step. KEYS: 4 per device (history, index, ordinal, sequences; see `RedisKeys`), then
 * one checkpoints hash per checkpoint. ARGV: history limit, origin (instance ID), channel, device count D, message
 * count M, then per message (device number 1..D, partition, sequence number, position, JSON), then per checkpoint
 * (partition, sequence number, JSON). A message at or below its device's highest stored sequence number of its
 * partition is skipped; a checkpoint only moves forward. What was stored is published as `[origin, [json…]]`.
 * Returns the 1-based numbers of the stored messages.
 */
export const APPEND_LUA = `
local limit = tonumber(ARGV[1])
local devices = tonumber(ARGV[4])
local count = tonumber(ARGV[5])
local stored, published, last = {}, {}, {}
local a = 6
for i = 1, count do
  local d, partition, seq = tonumber(ARGV[a]), ARGV[a + 1], tonumber(ARGV[a + 2])
  local base = (d - 1) * 4
  local highest = redis.call('HGET', KEYS[base + 4], partition)
  if not highest or seq > tonumber(highest) then
    redis.call('HSET', KEYS[base + 4], partition, ARGV[a + 2])
    local n = redis.call('INCR', KEYS[base + 3])
    redis.call('RPUSH', KEYS[base + 1], ARGV[a + 4])
    redis.call('ZADD', KEYS[base + 2], n, ARGV[a + 3])
    last[d] = n
    stored[#stored + 1] = i
    published[#published + 1] = ARGV[a + 4]
  end
  a = a + 5
end
for d, n in pairs(last) do
  local base = (d - 1) * 4
  if redis.call('LLEN', KEYS[base + 1]) > limit then
    redis.call('LTRIM', KEYS[base + 1], -limit, -1)
    redis.call('ZREMRANGEBYSCORE', KEYS[base + 2], '-inf', n - limit)
  end
end
for k = devices * 4 + 1, #KEYS do
  local partition, seq = ARGV[a], tonumber(ARGV[a + 1])
  local current = redis.call('HGET', KEYS[k], partition)
  if not current or seq > cjson.decode(current).sequenceNumber then redis.call('HSET', KEYS[k], partition, ARGV[a + 2]) end
  a = a + 3
end
if #published > 0 then redis.call('PUBLISH', ARGV[3], cjson.encode({ ARGV[2], published })) end
return stored
`;

/**
 * The messages after a position, atomically. KEYS: history, index, ordinal. ARGV: position. Returns
 * `[1, messages after it]` when the position is held, else `[0, the whole history]`.
 */
export const AFTER_LUA = `
local ordinal = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not ordinal then return { 0, redis.call('LRANGE', KEYS[1], 0, -1) } end
local n = tonumber(redis.call('GET', KEYS[3]))
local first = n - redis.call('LLEN', KEYS[1]) + 1
return { 1, redis.call('LRANGE', KEYS[1], tonumber(ordinal) - first + 1, -1) }
`;
