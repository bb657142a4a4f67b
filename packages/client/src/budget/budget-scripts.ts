/**
 * The shared budget's state lives in one Redis hash per token and rate class, changed only by these scripts,
 * so that each change is atomic on the server however many processes race. Fields:
 * - remaining: requests left in the window, as the API last told less those admitted since;
 * - reset: when the window resets, epoch ms (the callers' clocks: CI runners keep theirs by NTP);
 * - window: the API's own X-RateLimit-Reset (epoch seconds), which tells one window from the next;
 * - probe: while nothing is known, one request goes first; its lease ends then (epoch ms).
 * Every write renews the hash's expiry: an idle budget disappears on its own.
 */

/**
 * KEYS[1] the hash; ARGV now, probe lease ms, ttl ms. Returns {'go', remaining, reset} (-1: unknown), {'answer', ms} or
 * {'spent', reset}.
 */
export const ACQUIRE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local s = redis.call('HMGET', key, 'remaining', 'reset', 'probe')
local remaining = tonumber(s[1])
local reset = tonumber(s[2])
local probe = tonumber(s[3])
if reset ~= nil and now >= reset then
  redis.call('HDEL', key, 'remaining', 'reset')
  remaining = nil
  reset = nil
end
if remaining == nil then
  if probe ~= nil and probe > now then
    return {'answer', probe - now}
  end
  redis.call('HSET', key, 'probe', now + lease)
  redis.call('PEXPIRE', key, ttl)
  return {'go', -1, -1}
end
if remaining > 0 then
  redis.call('HSET', key, 'remaining', remaining - 1)
  redis.call('PEXPIRE', key, ttl)
  return {'go', remaining - 1, reset}
end
return {'spent', reset}
`;

/**
 * KEYS[1] the hash; ARGV now, window (the API's X-RateLimit-Reset, -1 when absent), remaining as told (less the
 * caller's other requests in flight), reset (epoch ms), ttl ms. An answer of a newer window replaces the state;
 * of the same window, it can only lower what is left (answers arrive out of order); of an older one, it is ignored.
 * Returns {remaining, reset} (-1: unknown).
 */
export const RELEASE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local told = tonumber(ARGV[3])
local resetAt = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
redis.call('HDEL', key, 'probe')
if window >= 0 and resetAt > now then
  local s = redis.call('HMGET', key, 'remaining', 'reset', 'window')
  local remaining = tonumber(s[1])
  local reset = tonumber(s[2])
  local current = tonumber(s[3])
  if current == nil or window > current then
    redis.call('HSET', key, 'remaining', told, 'reset', resetAt, 'window', window)
  elseif window == current then
    if remaining == nil or told < remaining then remaining = told end
    redis.call('HSET', key, 'remaining', remaining, 'reset', reset or resetAt)
  end
end
redis.call('PEXPIRE', key, ttl)
local s = redis.call('HMGET', key, 'remaining', 'reset')
return {tonumber(s[1]) or -1, tonumber(s[2]) or -1}
`;

/** KEYS[1] the hash; ARGV reset (epoch ms), ttl ms. After a 429: nothing is left until then. */
export const EXHAUST = `
local key = KEYS[1]
local resetAt = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local reset = tonumber(redis.call('HGET', key, 'reset'))
if reset == nil or resetAt > reset then reset = resetAt end
redis.call('HSET', key, 'remaining', 0, 'reset', reset)
redis.call('HDEL', key, 'probe')
redis.call('PEXPIRE', key, ttl)
return 1
`;
