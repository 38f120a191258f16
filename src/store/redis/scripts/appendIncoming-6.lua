--[[
  appendIncoming: store a customer's own activity so that it can be acknowledged: in one step,
  append it to its registered conversation (as appendActivity does: keep the last N, advance the
  position, mark the conversation active, announce it on the feed), remember its client key (a
  resend after a lost acknowledgement is stored once), and put it in the turn inbox owned by the
  process that will run its turn (so a process that dies before the bot answered leaves it to
  another; see claimInbox-2.lua).

  KEYS[1]  the conversation's position key
  KEYS[2]  the conversation's activity list
  KEYS[3]  recency sorted set
  KEYS[4]  the client key's marker (same slot as KEYS[1]); ignored when ARGV[5] is ''
  KEYS[5]  inbox sorted set (member "<conversation id> <activity id>", score = when claimable, ms)
  KEYS[6]  inbox entries hash (member -> "<owner> <position> <attempts>\n<activity JSON>")

  ARGV[1]  activity JSON
  ARGV[2]  max activities kept per conversation (>= 1)
  ARGV[3]  conversation id
  ARGV[4]  now (ms)
  ARGV[5]  '1' when KEYS[4] applies, '' otherwise
  ARGV[6]  how long a client key is remembered (ms)
  ARGV[7]  feed channel, or '' for none
  ARGV[8]  inbox owner, or '' for no inbox entry
  ARGV[9]  the activity's id
  ARGV[10]  TTL of the conversation's keys (ms: retention.webChatHistoryDays, restarted here)

  Result   {1, position} appended; {0, position, first id} the client key was already stored
           (nothing changed); -1 when the conversation is not registered
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if ARGV[5] ~= '' then
  local earlier = redis.call('GET', KEYS[4])
  if earlier then
    local space = string.find(earlier, ' ', 1, true)
    return {0, tonumber(string.sub(earlier, 1, space - 1)), string.sub(earlier, space + 1)}
  end
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
local position = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[10])
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[3])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[4], position .. ' ' .. ARGV[9], 'PX', ARGV[6])
end
if ARGV[8] ~= '' then
  local member = ARGV[3] .. ' ' .. ARGV[9]
  redis.call('HSET', KEYS[6], member, ARGV[8] .. ' ' .. position .. ' 0\n' .. ARGV[1])
  redis.call('ZADD', KEYS[5], tonumber(ARGV[4]), member)
end
if ARGV[7] ~= '' then
  redis.call('PUBLISH', ARGV[7], position .. ' ' .. ARGV[3] .. '\n' .. ARGV[1])
end
return {1, position}
