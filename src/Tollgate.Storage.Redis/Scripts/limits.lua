-- A key's (or a public client's) limits: its max_parallel gauge, its request and token windows and its budget, taken
-- together by one request in one atomic step (one round trip), so concurrent instances cannot together pass any of them.
-- ARGV[1]  operation; ARGV[2] now (Unix ms). The parts follow, each a kind and its arguments; a part names its keys by
--          their index in KEYS (all of one owner's keys share a hash tag, so one script may touch them in a cluster).
--   'take'  every part is checked; only if all fit is every part taken. Returns {status, per part...}: status 1 taken,
--           0 refused, -1 a budget has no state (new, expired, or lost with a restart: reconcile it from the ledger first,
--           nothing is taken); per part: 1 when it fits else 0, then a gauge's count and a window's count (after the
--           take, or as they stood), a budget's spent, reserved and generation (as they stood before the take).
--       'gauge'  k, slot id, when its lease ends (Unix ms), limit
--       'window' k, amount, limit, how long the key lives (ms, relative, so the server's clock plays no part)
--       'budget' k (state; k+1 its leases, k+2 its amounts), retention, period start (Unix ms), how long the state lives
--                (ms, 0 for ever), threshold, amount, hold id, when its lease ends
--   'give'  gives back what a take took; returns 1.
--       'gauge'  k, slot id
--       'window' k, amount (possibly negative): added if the window still exists, never below zero
--       'budget' k, generation, actual cost, hold id: the reservation is replaced by the cost, if its period is current
--   'get'   ARGV[3] retention, ARGV[4] period start; KEYS 1-3 a budget: returns {spent, reserved} of the period
--   'reconcile'  ARGV[3] retention, ARGV[4] period start, ARGV[5] lifetime, ARGV[6] the ledger's settled spend; returns
--           spent after
-- A gauge is a sorted set of slots, each scored with the time its lease ends; a budget's holds likewise. The instance
-- that holds a slot or hold renews its lease while the request runs, so those of an instance that stopped (crashed)
-- fall out once their leases end. Money is in whole nano-dollars (1e-9 USD), passed and stored as decimal strings; every
-- amount, sum and count stays below 2^53, where Lua's numbers are exact, and HINCRBY adds in 64-bit integers.
local op, now = ARGV[1], ARGV[2]

-- Budgets. Called with the caller's retention and period: starts a new state, or a new generation when the period turned.
local function roll(state, leases, amounts, retention, period_text)
  local period = tonumber(period_text)
  local ret = redis.call('HGET', state, 'ret')
  if not ret then
    redis.call('HSET', state, 'ret', retention, 'period', period_text, 'gen', '0', 'spent', '0', 'reserved', '0')
    return 'new'
  end
  if ret == retention and tonumber(redis.call('HGET', state, 'period')) < period then
    redis.call('HINCRBY', state, 'gen', 1)
    redis.call('HSET', state, 'period', period_text, 'spent', '0', 'reserved', '0')
    redis.call('DEL', leases, amounts)
    return 'rolled'
  end
  return ret == retention and 'same' or 'other'
end

-- Releases the holds whose lease ended (their instance stopped renewing them).
local function sweep(state, leases, amounts)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 500)
  for _, id in ipairs(expired) do
    local amount = redis.call('HGET', amounts, id)
    if amount then
      redis.call('HINCRBY', state, 'reserved', '-' .. amount)
      redis.call('HDEL', amounts, id)
    end
    redis.call('ZREM', leases, id)
  end
  -- reserved is the sum of the amounts held; with none left it is zero (also after the sets expired unused).
  if redis.call('HLEN', amounts) == 0 then
    redis.call('HSET', state, 'reserved', '0')
  end
end

local function keep(state, lifetime)
  if lifetime ~= '0' then
    redis.call('PEXPIRE', state, lifetime)
  end
end

if op == 'take' then
  -- First pass: check every part, in order, and remember what the second pass needs.
  local parts, reply = {}, {1}
  local i, all = 3, true
  while i <= #ARGV do
    local kind, k = ARGV[i], tonumber(ARGV[i + 1])
    local p = {kind = kind, key = KEYS[k]}
    if kind == 'gauge' then
      p.slot, p.lease = ARGV[i + 2], ARGV[i + 3]
      redis.call('ZREMRANGEBYSCORE', p.key, '-inf', now)
      local count = redis.call('ZCARD', p.key)
      p.fits = count < tonumber(ARGV[i + 4])
      p.values = {count}
      i = i + 5
    elseif kind == 'window' then
      p.amount, p.ttl = ARGV[i + 2], ARGV[i + 4]
      local count = tonumber(redis.call('GET', p.key) or '0')
      p.fits = count + tonumber(p.amount) <= tonumber(ARGV[i + 3])
      p.values = {count}
      i = i + 5
    elseif kind == 'budget' then
      p.leases, p.amounts = KEYS[k + 1], KEYS[k + 2]
      p.amount, p.hold, p.lease = ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
      if redis.call('EXISTS', p.key) == 0 then
        reply[1] = -1
        p.fits = false
        p.values = {'0', '0', '0'}
      else
        roll(p.key, p.leases, p.amounts, ARGV[i + 2], ARGV[i + 3])
        sweep(p.key, p.leases, p.amounts)
        keep(p.key, ARGV[i + 4])
        local spent = redis.call('HGET', p.key, 'spent')
        local reserved = redis.call('HGET', p.key, 'reserved')
        p.fits = tonumber(spent) + tonumber(reserved) + tonumber(p.amount) <= tonumber(ARGV[i + 5])
        p.values = {spent, reserved, redis.call('HGET', p.key, 'gen')}
      end
      i = i + 9
    else
      return redis.error_reply('limits.lua: unknown part ' .. tostring(kind))
    end
    all = all and p.fits
    parts[#parts + 1] = p
  end
  if reply[1] == 1 and not all then
    reply[1] = 0
  end

  -- Second pass: take every part only if all fit.
  for _, p in ipairs(parts) do
    if reply[1] == 1 then
      if p.kind == 'gauge' then
        redis.call('ZADD', p.key, p.lease, p.slot)
        -- The set outlives any lease (leases are renewed in place); an idle gauge goes after a day.
        redis.call('PEXPIRE', p.key, '86400000')
        p.values[1] = p.values[1] + 1
      elseif p.kind == 'window' then
        p.values[1] = redis.call('INCRBY', p.key, p.amount)
        redis.call('PEXPIRE', p.key, p.ttl)
      else
        redis.call('HINCRBY', p.key, 'reserved', p.amount)
        redis.call('ZADD', p.leases, p.lease, p.hold)
        redis.call('HSET', p.amounts, p.hold, p.amount)
        -- These outlive any lease (leases are renewed in place); idle ones go after a day.
        redis.call('PEXPIRE', p.leases, '86400000')
        redis.call('PEXPIRE', p.amounts, '86400000')
      end
    end
    reply[#reply + 1] = p.fits and 1 or 0
    for _, v in ipairs(p.values) do
      reply[#reply + 1] = v
    end
  end
  return reply
elseif op == 'give' then
  local i = 3
  while i <= #ARGV do
    local kind, key = ARGV[i], KEYS[tonumber(ARGV[i + 1])]
    if kind == 'gauge' then
      redis.call('ZREM', key, ARGV[i + 2])
      i = i + 3
    elseif kind == 'window' then
      if redis.call('EXISTS', key) == 1 and redis.call('INCRBY', key, ARGV[i + 2]) < 0 then
        redis.call('SET', key, '0', 'KEEPTTL')
      end
      i = i + 3
    elseif kind == 'budget' then
      local k = tonumber(ARGV[i + 1])
      local leases, amounts, hold = KEYS[k + 1], KEYS[k + 2], ARGV[i + 4]
      if redis.call('HGET', key, 'gen') == ARGV[i + 2] then
        local amount = redis.call('HGET', amounts, hold)
        if amount then
          redis.call('HINCRBY', key, 'reserved', '-' .. amount)
          redis.call('HDEL', amounts, hold)
          redis.call('ZREM', leases, hold)
        end
        redis.call('HINCRBY', key, 'spent', ARGV[i + 3])
      end
      i = i + 5
    else
      return redis.error_reply('limits.lua: unknown part ' .. tostring(kind))
    end
  end
  return 1
elseif op == 'get' then
  local state, leases, amounts = KEYS[1], KEYS[2], KEYS[3]
  local ret = redis.call('HGET', state, 'ret')
  if not ret or (ret == ARGV[3] and tonumber(redis.call('HGET', state, 'period')) < tonumber(ARGV[4])) then
    return {'0', '0'}
  end
  sweep(state, leases, amounts)
  return {redis.call('HGET', state, 'spent'), redis.call('HGET', state, 'reserved')}
elseif op == 'reconcile' then
  local state, leases, amounts = KEYS[1], KEYS[2], KEYS[3]
  local how = roll(state, leases, amounts, ARGV[3], ARGV[4])
  if how == 'other' then
    -- The budget's retention changed: this period's spend is the ledger's; reservations in flight still count.
    redis.call('HSET', state, 'ret', ARGV[3], 'period', ARGV[4], 'spent', ARGV[6])
  elseif how ~= 'same' or tonumber(redis.call('HGET', state, 'period')) == tonumber(ARGV[4]) then
    if tonumber(redis.call('HGET', state, 'spent')) < tonumber(ARGV[6]) then
      redis.call('HSET', state, 'spent', ARGV[6])
    end
  end
  keep(state, ARGV[5])
  return redis.call('HGET', state, 'spent')
end
return redis.error_reply('limits.lua: unknown operation ' .. tostring(op))
