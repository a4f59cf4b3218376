-- Budgets: settled spend and reservations in flight, per budget and period.
-- KEYS[1]  state hash: ret (retention), period (start, Unix ms), gen (period generation), spent, reserved
-- KEYS[2]  leases: sorted set of hold ids scored with the time each lease ends (Unix ms)
-- KEYS[3]  amounts: hash of hold id -> amount reserved
-- Money is in whole nano-dollars (1e-9 USD), passed and stored as decimal strings; every amount and sum stays below
-- 2^53, where Lua's numbers are exact, and HINCRBY does the additions in 64-bit integers.
-- ARGV[1]  operation; ARGV[2] retention; ARGV[3] period start (Unix ms); ARGV[4] now (Unix ms); ARGV[5] how long the
--          state lives (ms, relative so the server's clock plays no part; 0 for ever)
--   'reserve'   ARGV[6] threshold, ARGV[7] amount, ARGV[8] hold id, ARGV[9] lease end; returns {1|0, spent, reserved, gen},
--               or {-1, ...} when there is no state (new, expired, or lost with a restart): reconcile from the ledger first
--   'settle'    ARGV[6] generation, ARGV[7] actual cost, ARGV[8] hold id; returns 1 if counted, 0 if its period is gone
--   'get'       returns {spent, reserved} of the period
--   'reconcile' ARGV[6] the ledger's settled spend; returns spent after
local state, leases, amounts = KEYS[1], KEYS[2], KEYS[3]
local op, retention, period, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

-- Called with the caller's retention and period: starts a new state, or a new generation when the period turned.
local function roll()
  local ret = redis.call('HGET', state, 'ret')
  if not ret then
    redis.call('HSET', state, 'ret', retention, 'period', ARGV[3], 'gen', '0', 'spent', '0', 'reserved', '0')
    return 'new'
  end
  if ret == retention and tonumber(redis.call('HGET', state, 'period')) < period then
    redis.call('HINCRBY', state, 'gen', 1)
    redis.call('HSET', state, 'period', ARGV[3], 'spent', '0', 'reserved', '0')
    redis.call('DEL', leases, amounts)
    return 'rolled'
  end
  return ret == retention and 'same' or 'other'
end

-- Releases the holds whose lease ended (their instance stopped renewing them).
local function sweep()
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

local function keep()
  if ARGV[5] ~= '0' then
    redis.call('PEXPIRE', state, ARGV[5])
  end
end

if op == 'reserve' then
  if redis.call('EXISTS', state) == 0 then
    return {-1, '0', '0', '0'}
  end
  roll()
  sweep()
  keep()
  local spent = redis.call('HGET', state, 'spent')
  local reserved = redis.call('HGET', state, 'reserved')
  local gen = redis.call('HGET', state, 'gen')
  if tonumber(spent) + tonumber(reserved) + tonumber(ARGV[7]) > tonumber(ARGV[6]) then
    return {0, spent, reserved, gen}
  end
  redis.call('HINCRBY', state, 'reserved', ARGV[7])
  redis.call('ZADD', leases, ARGV[9], ARGV[8])
  redis.call('HSET', amounts, ARGV[8], ARGV[7])
  -- These outlive any lease (leases are renewed in place); idle ones go after a day.
  redis.call('PEXPIRE', leases, '86400000')
  redis.call('PEXPIRE', amounts, '86400000')
  return {1, spent, reserved, gen}
elseif op == 'settle' then
  if redis.call('HGET', state, 'gen') ~= ARGV[6] then
    return 0
  end
  local amount = redis.call('HGET', amounts, ARGV[8])
  if amount then
    redis.call('HINCRBY', state, 'reserved', '-' .. amount)
    redis.call('HDEL', amounts, ARGV[8])
    redis.call('ZREM', leases, ARGV[8])
  end
  redis.call('HINCRBY', state, 'spent', ARGV[7])
  return 1
elseif op == 'get' then
  local ret = redis.call('HGET', state, 'ret')
  if not ret or (ret == retention and tonumber(redis.call('HGET', state, 'period')) < period) then
    return {'0', '0'}
  end
  sweep()
  return {redis.call('HGET', state, 'spent'), redis.call('HGET', state, 'reserved')}
elseif op == 'reconcile' then
  local how = roll()
  if how == 'other' then
    -- The budget's retention changed: this period's spend is the ledger's; reservations in flight still count.
    redis.call('HSET', state, 'ret', retention, 'period', ARGV[3], 'spent', ARGV[6])
  elseif how ~= 'same' or tonumber(redis.call('HGET', state, 'period')) == period then
    if tonumber(redis.call('HGET', state, 'spent')) < tonumber(ARGV[6]) then
      redis.call('HSET', state, 'spent', ARGV[6])
    end
  end
  keep()
  return redis.call('HGET', state, 'spent')
end
return redis.error_reply('budget.lua: unknown operation ' .. tostring(op))
