-- Circuit state shared by the instances: when a deployment's circuit opens on one, "open until T" for all.
-- KEYS[1]  the hash of deployment -> until (Unix ms)
-- ARGV[1]  'open': record ARGV[2] open until ARGV[3] unless a later time is recorded, and announce it on channel
--          ARGV[5]; the hash lives ARGV[4] ms after the last opening. Returns 1 when recorded, 0 when a later one stood.
--          'list': returns the hash as {deployment, until, ...} (the caller ignores times already past)
local op = ARGV[1]
if op == 'open' then
  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
  if current >= tonumber(ARGV[3]) then
    return 0
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PUBLISH', ARGV[5], ARGV[3] .. '|' .. ARGV[2])
  return 1
elseif op == 'list' then
  return redis.call('HGETALL', KEYS[1])
end
return redis.error_reply('circuit.lua: unknown operation ' .. tostring(op))
