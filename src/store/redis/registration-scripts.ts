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

/**
 * Moves the registration keys of no hub in particular (earlier versions) to one hub's names, once: only while none
 * of the hub's keys exists, and only the keys that exist. KEYS: the three old keys, then the hub's three. Returns the
 * number of keys moved.
 */
export const ADOPT_REGISTRATIONS_LUA = `
for i = 4, 6 do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
local moved = 0
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('RENAME', KEYS[i], KEYS[i + 3]); moved = moved + 1 end
end
return moved
`;
