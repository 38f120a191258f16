--[[
  commitHandoff: compare-and-set of one conversation's handoff state, with its queue membership,
  SLA deadline index and owning agent's list updated in the same atomic step (the HandoffStore
  port derives all three from the committed state), and its retention: while the handoff is open
  (queued, assigned, scheduled) the state, transcript and briefings have no TTL (they are kept
  however long the customer waits); the closing transition gives each its TTL, counted from now.

  KEYS[1]  state hash of the conversation      (fields: v = version, s = state JSON,
                                                 qk = queue key it is in, ak = agent list key it is in)
  KEYS[2]  deadlines sorted set                 (member = conversation id, score = SLA deadline ms)
  KEYS[3]  queue sorted set of the NEW state    (used only when ARGV[4] is not empty)
  KEYS[4]  owning agent's list of the NEW state (used only when ARGV[6] is '1'; a sorted set whose
                                                 scores are all 0, so it is ordered by id: ZRANGE BYLEX pages it)
  KEYS[5]  transcript list of the conversation  (same hash tag as KEYS[1])
  KEYS[6]  packet of the NEW state's handoff    (KEYS[1] when the state has no handoff id)
  KEYS[7]  the conversation's packet-id set     (same hash tag as KEYS[1])

  ARGV[1]  expected version (integer)
  ARGV[2]  new state JSON, already carrying version = expected + 1 (computed in TypeScript)
  ARGV[3]  conversation id (the member in queue, deadline and agent sets)
  ARGV[4]  queue score from queueScore(priority, enqueuedAt), or '' when the new state is not queued
  ARGV[5]  SLA deadline in ms, or '' when the new state has none
  ARGV[6]  '1' when the new state is assigned to an agent (KEYS[4] is that agent's list), else '0'
  ARGV[7]  '1' when the new state is open (a person owns it now or at a booked time), else '0'
  ARGV[8]  TTL of a closed handoff's state (ms)
  ARGV[9]  TTL of the transcript once closed (ms)
  ARGV[10] TTL of the briefings once closed (ms)

  Result   {1}                   committed
           {0, currentJson|''}   version mismatch; '' = never stored (the caller uses initialState())

  Cluster note: the queue, deadline and agent sets are shared by many conversations, so they cannot
  live in this conversation's hash slot, and the OLD queue and agent keys are read from the hash
  (fields qk, ak, written by a previous run from KEYS[3], KEYS[4]) instead of being declared. Both
  are fine on a single Redis (the only deployment supported now); a Cluster layout would need every
  key in one slot.
]]
local cur = redis.call('HMGET', KEYS[1], 'v', 's', 'qk', 'ak')
local version = tonumber(cur[1]) or 0
if version ~= tonumber(ARGV[1]) then
  return {0, cur[2] or ''}
end

local member = ARGV[3]
local oldQueue = cur[3]
if oldQueue and oldQueue ~= '' then
  redis.call('ZREM', oldQueue, member)
end
local oldAgent = cur[4]
if oldAgent and oldAgent ~= '' then
  redis.call('ZREM', oldAgent, member)
end

local newQueue = ''
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[4], member)
  newQueue = KEYS[3]
end

local newAgent = ''
if ARGV[6] == '1' then
  redis.call('ZADD', KEYS[4], 0, member)
  newAgent = KEYS[4]
end

if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], member)
else
  redis.call('ZREM', KEYS[2], member)
end

-- o = open: the transcript and packet scripts read it to leave an open handoff's keys without TTL
redis.call('HSET', KEYS[1], 'v', version + 1, 's', ARGV[2], 'qk', newQueue, 'ak', newAgent, 'o', ARGV[7])
if ARGV[7] == '1' then
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[5])
  redis.call('PERSIST', KEYS[6])
  redis.call('PERSIST', KEYS[7])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[8])
  redis.call('PEXPIRE', KEYS[5], ARGV[9])
  if KEYS[6] ~= KEYS[1] then
    redis.call('PEXPIRE', KEYS[6], ARGV[10])
  end
  redis.call('PEXPIRE', KEYS[7], ARGV[10])
end
return {1}
