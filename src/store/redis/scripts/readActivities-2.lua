--[[
  readActivities: the activities after a watermark, and the watermark after the last one, read in
  one step so an append in between cannot make them disagree.

  KEYS[1]  the conversation's position key (position after its last activity)
  KEYS[2]  the conversation's activity list (the last N; the first is at position - LLEN)

  ARGV[1]  watermark (a non-negative integer, already validated)

  Result   {position, {activity JSON...}}, or -1 when the conversation is not registered
]]
local position = redis.call('GET', KEYS[1])
if not position then
  return -1
end
position = tonumber(position)
local first = position - redis.call('LLEN', KEYS[2])
local from = math.min(tonumber(ARGV[1]), position)
local start = math.max(0, from - first)
return {position, redis.call('LRANGE', KEYS[2], start, -1)}
