--[[
  createActivityLog: register a web chat conversation (idempotent), then forget what may be
  forgotten, as MemoryActivityLog does:
  1. conversations idle longer than the retention age;
  2. beyond the cap, the least recently active ones idle for at least the "recent" window.
  Never a conversation that is with a person (handoff waiting, booked or with an agent): those are
  marked active now instead, so they are looked at again only after another idle period.
  At most ARGV[8] candidates are examined per call (the rest are left for later calls).

  KEYS[1]  the conversation's position key (string: position after its last activity)
  KEYS[2]  recency sorted set (member = conversation id, score = when last active, ms)

  ARGV[1]  conversation id
  ARGV[2]  max conversations kept
  ARGV[3]  position key of a conversation = ARGV[3] .. id .. '}'; its list = that .. ':items'
  ARGV[4]  now (ms)
  ARGV[5]  retention: idle time after which a conversation is forgotten (ms)
  ARGV[6]  recent window: a conversation active within it is never forgotten for the cap (ms)
  ARGV[7]  handoff hash of a conversation = ARGV[7] .. id .. '}' (field s = state JSON)
  ARGV[8]  candidates examined at most
  ARGV[9]  TTL of the conversation's keys (ms: retention.webChatHistoryDays, restarted by every append)

  Result   1 created, 0 already there (nothing changed)

  Cluster note: other conversations' keys are built here from ARGV, not declared in KEYS, like
  commitHandoff's old queue key; fine on a single Redis, the deployment supported now.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local id = ARGV[1]
local now = tonumber(ARGV[4])
redis.call('SET', KEYS[1], 0, 'PX', ARGV[9])
redis.call('ZADD', KEYS[2], now, id)

local function withPerson(other)
  local s = redis.call('HGET', ARGV[7] .. other .. '}', 's')
  if not s then
    return false
  end
  local ok, state = pcall(cjson.decode, s)
  if not ok or type(state) ~= 'table' then
    return false
  end
  local status = state['status']
  return status == 'queued' or status == 'assigned' or status == 'scheduled'
end

local budget = tonumber(ARGV[8])
-- Looks at one candidate: keeps (and marks active) a conversation with a person, forgets the others.
local function consider(other)
  budget = budget - 1
  if withPerson(other) then
    redis.call('ZADD', KEYS[2], now, other)
    return false
  end
  local key = ARGV[3] .. other .. '}'
  redis.call('DEL', key, key .. ':items')
  redis.call('ZREM', KEYS[2], other)
  return true
end

-- 1. Idle longer than the retention age (exclusive bound: a zero retention still spares "now").
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[5])), 'LIMIT', 0, budget)
for _, other in ipairs(expired) do
  if other ~= id then
    consider(other)
  end
end

-- 2. Over the cap: the least recently active, if idle for at least the recent window.
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[2])
while over > 0 and budget > 0 do
  local candidates = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[6])), 'LIMIT', 0, math.min(over, budget))
  if #candidates == 0 then
    break
  end
  for _, other in ipairs(candidates) do
    if other ~= id and consider(other) then
      over = over - 1
    end
  end
end
return 1
