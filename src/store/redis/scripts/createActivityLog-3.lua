--[[
  createActivityLog: register a web chat conversation (idempotent) and forget the least recently
  written conversations beyond the cap, as MemoryActivityLog does.

  KEYS[1]  the conversation's position key (string: position after its last activity)
  KEYS[2]  recency sorted set (member = conversation id, score = when last written, from KEYS[3])
  KEYS[3]  sequence counter giving recency scores

  ARGV[1]  conversation id
  ARGV[2]  max conversations kept
  ARGV[3]  position key of a conversation = ARGV[3] .. id .. '}'; its list = that .. ':items'

  Result   1 created, 0 already there (nothing changed)

  Cluster note: evicted conversations' keys are built here from ARGV[3], not declared in KEYS,
  like commitHandoff's old queue key; fine on a single Redis, the deployment supported now.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], 0)
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[2])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do
    local key = ARGV[3] .. oldest[i] .. '}'
    redis.call('DEL', key, key .. ':items')
  end
end
return 1
