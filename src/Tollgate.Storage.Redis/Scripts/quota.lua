-- Provider quotas (a provider's limits: rpm, tpm, rpd, tpd): several fixed windows checked and counted together.
-- KEYS[i]  window i's count (its name ends with the window's end, so a new window starts at zero)
-- ARGV[1]  'try': add every window's amount only if each stays within its limit; returns {allowed 1|0, index of the
--          first window without room or 0, count of each window after (or as it stood)}
--          'add': add every window's amount (possibly negative) to the windows that exist, never below zero; returns 1
-- ARGV[2 + 4(i-1) ...] for window i: amount, limit, 1 when an empty window takes any amount (a token estimate is an
--          upper bound) else 0, how long the key lives (ms, relative, so the server's clock plays no part)
-- Counts are whole numbers far below 2^53, so Lua's numbers hold them exactly.
local op = ARGV[1]
local n = #KEYS
if op == 'try' then
  local counts = {}
  local refused = 0
  for i = 1, n do
    local base = 2 + 4 * (i - 1)
    local amount = tonumber(ARGV[base])
    local limit = tonumber(ARGV[base + 1])
    local count = tonumber(redis.call('GET', KEYS[i]) or '0')
    counts[i] = count
    local empty_admits = ARGV[base + 2] == '1' and count == 0
    if refused == 0 and not empty_admits and count + amount > limit then
      refused = i
    end
  end
  if refused > 0 then
    local reply = {0, refused}
    for i = 1, n do reply[i + 2] = counts[i] end
    return reply
  end
  local reply = {1, 0}
  for i = 1, n do
    local base = 2 + 4 * (i - 1)
    reply[i + 2] = redis.call('INCRBY', KEYS[i], ARGV[base])
    redis.call('PEXPIRE', KEYS[i], ARGV[base + 3])
  end
  return reply
elseif op == 'add' then
  for i = 1, n do
    local base = 2 + 4 * (i - 1)
    if redis.call('EXISTS', KEYS[i]) == 1 then
      local count = redis.call('INCRBY', KEYS[i], ARGV[base])
      if count < 0 then
        redis.call('SET', KEYS[i], '0', 'KEEPTTL')
      end
    end
  end
  return 1
end
return redis.error_reply('quota.lua: unknown operation ' .. tostring(op))
