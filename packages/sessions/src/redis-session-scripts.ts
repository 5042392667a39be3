/**
 * The Lua scripts behind the Redis backend. Each runs atomically in Redis, so a write, a touch or a
 * revocation and its user-index update are one step (S33). Times come in as arguments from the
 * store's clock; every TTL is relative (PEXPIRE), so the app's and Redis's clocks need not agree.
 *
 * A session is a hash `<prefix>s:<handle>` (data, user, created, seen, expires, ip, agent, or
 * `revoked` on a tombstone); a user's index is a sorted set `<prefix>u:<userId>` of handles scored
 * by expiry.
 */

/** Helpers shared by the scripts: index a handle under a user; turn a session into a tombstone. */
const HELPERS = `
local function fmt(n) return string.format('%.0f', n) end
local function index(user_key, id, expires, now)
  redis.call('ZADD', user_key, fmt(expires), id)
  redis.call('ZREMRANGEBYSCORE', user_key, '-inf', fmt(now))
  local last = redis.call('ZRANGE', user_key, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', user_key, fmt(math.max(1, tonumber(last[2]) - now))) end
end
local function bury(key, prefix, id, ttl)
  local user = redis.call('HGET', key, 'user')
  if user and user ~= '' then redis.call('ZREM', prefix .. 'u:' .. user, id) end
  redis.call('HDEL', key, 'data', 'user', 'ip', 'agent')
  redis.call('HSET', key, 'revoked', '1')
  if ttl then redis.call('PEXPIRE', key, fmt(math.max(1, ttl))) end
end
local function capped(created, wanted, max_lifetime)
  if max_lifetime == '' then return wanted end
  return math.min(wanted, tonumber(created) + tonumber(max_lifetime))
end
`;

/**
 * KEYS: session key. ARGV: prefix, handle, user ('' for none), data, now, wanted expiry, max
 * lifetime ('' for none), ip (''), agent (''). Upserts; a tombstone stays one. Returns 1 if written.
 */
export const WRITE_SCRIPT = `${HELPERS}
local key, prefix, id, user = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
if redis.call('HEXISTS', key, 'revoked') == 1 then return 0 end
local now = tonumber(ARGV[5])
local created = redis.call('HGET', key, 'created') or ARGV[5]
local expires = capped(created, tonumber(ARGV[6]), ARGV[7])
local previous = redis.call('HGET', key, 'user')
if previous and previous ~= '' and previous ~= user then redis.call('ZREM', prefix .. 'u:' .. previous, id) end
if expires <= now then
  -- Past its absolute lifetime: it stays dead for as long as it was asked to live.
  bury(key, prefix, id, tonumber(ARGV[6]) - now)
  return 0
end
redis.call('HSET', key, 'data', ARGV[4], 'user', user, 'created', created, 'seen', ARGV[5], 'expires', fmt(expires))
if ARGV[8] ~= '' then redis.call('HSET', key, 'ip', ARGV[8]) end
if ARGV[9] ~= '' then redis.call('HSET', key, 'agent', ARGV[9]) end
redis.call('PEXPIRE', key, fmt(expires - now))
if user ~= '' then index(prefix .. 'u:' .. user, id, expires, now) end
return 1
`;

/**
 * KEYS: session key. ARGV: prefix, handle, now, wanted expiry, max lifetime (''), seen at or
 * before, ip (''), agent (''). Touches a live session last seen long enough ago. Returns 1 if touched.
 */
export const TOUCH_SCRIPT = `${HELPERS}
local key, prefix, id = KEYS[1], ARGV[1], ARGV[2]
local now = tonumber(ARGV[3])
local f = redis.call('HMGET', key, 'revoked', 'created', 'seen', 'expires', 'user')
if f[1] or not f[2] then return 0 end
if tonumber(f[4]) <= now or tonumber(f[3]) > tonumber(ARGV[6]) then return 0 end
local expires = capped(f[2], tonumber(ARGV[4]), ARGV[5])
if expires <= now then
  bury(key, prefix, id, tonumber(ARGV[4]) - now)
  return 0
end
redis.call('HSET', key, 'seen', ARGV[3], 'expires', fmt(expires))
if ARGV[7] ~= '' then redis.call('HSET', key, 'ip', ARGV[7]) end
if ARGV[8] ~= '' then redis.call('HSET', key, 'agent', ARGV[8]) end
redis.call('PEXPIRE', key, fmt(expires - now))
if f[5] and f[5] ~= '' then index(prefix .. 'u:' .. f[5], id, expires, now) end
return 1
`;

/** KEYS: session key. ARGV: prefix, handle. Turns a session into a tombstone (TTL kept). Returns 1 if there was one. */
export const REVOKE_SCRIPT = `${HELPERS}
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 or redis.call('HEXISTS', key, 'revoked') == 1 then return 0 end
bury(key, ARGV[1], ARGV[2], nil)
return 1
`;

/**
 * KEYS: the user's index. ARGV: prefix, user, now, only handle (''), except handle (''). Revokes
 * the user's live sessions so selected, checking each one's owner. Returns how many.
 */
export const REVOKE_USER_SCRIPT = `${HELPERS}
local user_key, prefix, user = KEYS[1], ARGV[1], ARGV[2]
local now = tonumber(ARGV[3])
local ids
if ARGV[4] ~= '' then ids = { ARGV[4] } else ids = redis.call('ZRANGE', user_key, 0, -1) end
local count = 0
for _, id in ipairs(ids) do
  if id ~= ARGV[5] then
    local key = prefix .. 's:' .. id
    local f = redis.call('HMGET', key, 'user', 'revoked', 'expires')
    if f[1] == user and not f[2] and tonumber(f[3]) > now then
      bury(key, prefix, id, nil)
      count = count + 1
    end
  end
end
redis.call('ZREMRANGEBYSCORE', user_key, '-inf', fmt(now))
return count
`;
