/**
 * Records a device's activity only forward and publishes it. KEYS: the activity hash. ARGV: device ID, time ms,
 * channel, payload. Returns 1 when recorded, 0 when an equal or later activity was already there.
 */
export const ACTIVITY_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;
