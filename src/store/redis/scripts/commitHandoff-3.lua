--[[
  commitHandoff: compare-and-set of one conversation's handoff state, with its queue membership
  and SLA deadline index updated in the same atomic step (the HandoffStore port derives both from
  the committed state).

  KEYS[1]  state hash of the conversation      (fields: v = version, s = state JSON, qk = queue key it is in)
  KEYS[2]  deadlines sorted set                 (member = conversation id, score = SLA deadline ms)
  KEYS[3]  queue sorted set of the NEW state    (used only when ARGV[4] is not empty)

  ARGV[1]  expected version (integer)
  ARGV[2]  new state JSON, already carrying version = expected + 1 (computed in TypeScript)
  ARGV[3]  conversation id (the member in queue and deadline sets)
  ARGV[4]  queue score from queueScore(priority, enqueuedAt), or '' when the new state is not queued
  ARGV[5]  SLA deadline in ms, or '' when the new state has none

  Result   {1}                   committed
           {0, currentJson|''}   version mismatch; '' = never stored (the caller uses initialState())

  Cluster note: the queue and deadline sets are shared by many conversations, so they cannot live in
  this conversation's hash slot, and the OLD queue key is read from the hash (field qk, written by a
  previous run from KEYS[3]) instead of being declared. Both are fine on a single Redis (the only
  deployment supported now); a Cluster layout would need every key in one slot.
]]
local cur = redis.call('HMGET', KEYS[1], 'v', 's', 'qk')
local version = tonumber(cur[1]) or 0
if version ~= tonumber(ARGV[1]) then
  return {0, cur[2] or ''}
end

local member = ARGV[3]
local oldQueue = cur[3]
if oldQueue and oldQueue ~= '' then
  redis.call('ZREM', oldQueue, member)
end

local newQueue = ''
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[4], member)
  newQueue = KEYS[3]
end

if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], member)
else
  redis.call('ZREM', KEYS[2], member)
end

redis.call('HSET', KEYS[1], 'v', version + 1, 's', ARGV[2], 'qk', newQueue)
return {1}
