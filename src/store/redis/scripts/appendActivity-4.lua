--[[
  appendActivity: append one activity to a registered conversation, keep only the last N, advance
  its position (the watermark: it only grows, trimming never lowers it), mark it active now, and
  announce it on the feed channel (so the process holding the customer's socket pushes it).
  With a once-key, a second append under the same key changes nothing and answers the first one's
  position (an agent message delivered again after a crash shows once).

  KEYS[1]  the conversation's position key
  KEYS[2]  the conversation's activity list
  KEYS[3]  recency sorted set
  KEYS[4]  the once-key's marker (same slot as KEYS[1]); ignored when ARGV[5] is ''

  ARGV[1]  activity JSON
  ARGV[2]  max activities kept per conversation (>= 1)
  ARGV[3]  conversation id
  ARGV[4]  now (ms)
  ARGV[5]  '1' when KEYS[4] applies, '' otherwise
  ARGV[6]  how long a once-key is remembered (ms)
  ARGV[7]  feed channel, or '' for none
  ARGV[8]  TTL of the conversation's keys (ms: retention.webChatHistoryDays, restarted here)

  Result   {position, 1} appended, {position, 0} already appended under the once-key,
           or -1 when the conversation is not registered
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if ARGV[5] ~= '' then
  local earlier = redis.call('GET', KEYS[4])
  if earlier then
    return {tonumber(earlier), 0}
  end
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
local position = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[3])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[4], position, 'PX', ARGV[6])
end
if ARGV[7] ~= '' then
  redis.call('PUBLISH', ARGV[7], position .. ' ' .. ARGV[3] .. '\n' .. ARGV[1])
end
return {position, 1}
