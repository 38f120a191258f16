--[[
  reserveAttempt: record one sign-in attempt on up to three sliding-window counters at once, or on
  none when any of them is full, timed by Redis' own clock (TIME) so every process agrees. Checked
  and counted in one step: parallel attempts cannot all read "room left" before any is counted.

  KEYS[1..3]  the counters (sorted sets: member = ticket, score = when, ms); a key whose limit is 0 is unused

  ARGV[1]  window (ms, > 0)
  ARGV[2]  ticket: this attempt's id (unique)
  ARGV[3]  limit of KEYS[1] (0: unused)
  ARGV[4]  limit of KEYS[2] (0: unused)
  ARGV[5]  limit of KEYS[3] (0: unused)

  Result   {1, 0} recorded on every used key; {0, ms until every full key has room, i1, i2, …} nothing
           recorded, with the indexes (1-based) of the full keys
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
local full = {}
for i = 1, 3 do
  local limit = tonumber(ARGV[2 + i])
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
    local count = redis.call('ZCARD', KEYS[i])
    if count >= limit then
      -- room for one more once the (count - limit + 1)-th oldest attempt leaves the window
      local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
      local ms = tonumber(oldest[2]) + window - now
      if ms > wait then wait = ms end
      full[#full + 1] = i
    end
  end
end
if #full > 0 then
  local result = {0, math.max(1, wait)}
  for _, i in ipairs(full) do result[#result + 1] = i end
  return result
end
for i = 1, 3 do
  if tonumber(ARGV[2 + i]) > 0 then
    redis.call('ZADD', KEYS[i], now, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
return {1, 0}
