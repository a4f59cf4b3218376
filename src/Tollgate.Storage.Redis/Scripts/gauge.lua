-- Gauges of requests in flight (max_parallel). A gauge is a sorted set of slots, each scored with the time its lease
-- ends (Unix ms); the instance that holds a slot renews the lease while the request runs, so the slots of an instance
-- that stopped (crashed) fall out once their leases end.
-- KEYS[1]  the gauge
-- ARGV[1]  'acquire': take slot ARGV[4] if fewer than ARGV[5] live slots are held; returns the count after, or -1
--          'release': give slot ARGV[4] back; returns the count after
-- ARGV[2]  now (Unix ms); ARGV[3] when the new slot's lease ends (Unix ms)
local op = ARGV[1]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if op == 'acquire' then
  local count = redis.call('ZCARD', KEYS[1])
  if count >= tonumber(ARGV[5]) then
    return -1
  end
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  -- The set outlives any lease (leases are renewed in place); an idle gauge goes after a day.
  redis.call('PEXPIRE', KEYS[1], '86400000')
  return count + 1
elseif op == 'release' then
  redis.call('ZREM', KEYS[1], ARGV[4])
  return redis.call('ZCARD', KEYS[1])
end
return redis.error_reply('gauge.lua: unknown operation ' .. tostring(op))
