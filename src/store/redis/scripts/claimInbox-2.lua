--[[
  claimInbox: hand over the turn-inbox entries that are due (older than the minimum age) and whose
  owner is no longer alive — each to this caller only: the owner is compared and replaced here, in
  one step, so two processes sweeping at once never both get an entry — plus the caller's own due
  entries (a turn whose reply could not be stored, a settle that never reached Redis), except those
  it says are still running. Every entry handed out counts an attempt and becomes due again only
  after the minimum age (if the claimer dies too, a third process takes it then).

  KEYS[1]  inbox sorted set (member "<conversation id> <activity id>", score = when claimable, ms)
  KEYS[2]  inbox entries hash (member -> "<owner> <position> <attempts>\n<activity JSON>")

  ARGV[1]  the caller (owner id)
  ARGV[2]  now (ms)
  ARGV[3]  minimum age (ms)
  ARGV[4]  liveness key of owner X = ARGV[4] .. X .. '}' (its lease: absent = not alive)
  ARGV[5]  entries handed out at most
  ARGV[6]  due entries examined at most
  ARGV[7…] the caller's members still running (skipped)

  Result   {{member, previous owner, position, attempts, activity JSON}, …}, oldest first

  Cluster note: the liveness keys are built from ARGV, like createActivityLog's; fine on a single
  Redis, the deployment supported now.
]]
local me = ARGV[1]
local now = tonumber(ARGV[2])
local maxOut = tonumber(ARGV[5])
local running = {}
for i = 7, #ARGV do
  running[ARGV[i]] = true
end
local alive = {}
local out = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]), 'LIMIT', 0, tonumber(ARGV[6]))
for _, member in ipairs(due) do
  if #out >= maxOut then
    break
  end
  local value = redis.call('HGET', KEYS[2], member)
  if not value then
    redis.call('ZREM', KEYS[1], member)
  else
    local nl = string.find(value, '\n', 1, true)
    local owner, position, attempts = string.match(string.sub(value, 1, nl - 1), '^(%S+) (%d+) (%d+)$')
    local take
    if owner == me then
      take = not running[member]
    else
      if alive[owner] == nil then
        alive[owner] = redis.call('EXISTS', ARGV[4] .. owner .. '}') == 1
      end
      take = not alive[owner]
    end
    if take then
      attempts = tonumber(attempts) + 1
      local json = string.sub(value, nl + 1)
      redis.call('HSET', KEYS[2], member, me .. ' ' .. position .. ' ' .. attempts .. '\n' .. json)
      redis.call('ZADD', KEYS[1], now, member)
      out[#out + 1] = {member, owner, position, attempts, json}
    end
  end
end
return out
