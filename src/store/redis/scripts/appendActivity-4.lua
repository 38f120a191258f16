--[[
  appendActivity: append one activity to a registered conversation, keep only the last N, advance
  its position (the watermark: it only grows, trimming never lowers it) and mark it recently written.

  KEYS[1]  the conversation's position key
  KEYS[2]  the conversation's activity list
  KEYS[3]  recency sorted set
  KEYS[4]  sequence counter giving recency scores

  ARGV[1]  activity JSON
  ARGV[2]  max activities kept per conversation (>= 1)
  ARGV[3]  conversation id

  Result   the new position (the watermark just after this activity), or -1 when not registered
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
local position = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[3])
return position
