-- Fixed-window counters (requests or tokens per minute or day), one key per counter and window.
-- KEYS[1]  the counter's key in this window (its name ends with the window's end, so a new window starts at zero)
-- ARGV[1]  'try': add ARGV[2] only if the count stays within ARGV[3]; returns {allowed 1|0, count after or as it stood}
--          'add': add ARGV[2] (possibly negative) if the window exists, never below zero; returns the count
-- ARGV[4]  how long the key lives (ms): until a while after the window ends (relative, so the server's clock plays no part)
-- Counts are whole numbers far below 2^53, so Lua's numbers hold them exactly.
local op = ARGV[1]
local amount = tonumber(ARGV[2])
if op == 'try' then
  local count = tonumber(redis.call('GET', KEYS[1]) or '0')
  if count + amount > tonumber(ARGV[3]) then
    return {0, count}
  end
  count = redis.call('INCRBY', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {1, count}
elseif op == 'add' then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
  end
  local count = redis.call('INCRBY', KEYS[1], ARGV[2])
  if count < 0 then
    redis.call('SET', KEYS[1], '0', 'KEEPTTL')
    count = 0
  end
  return count
end
return redis.error_reply('window.lua: unknown operation ' .. tostring(op))
