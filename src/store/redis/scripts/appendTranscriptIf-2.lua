--[[
  appendTranscriptIf: append lines to a conversation's transcript only while its handoff state is
  still at the expected version, in one atomic step (the version is not bumped). An agent's message
  written this way can never land after a transition (resolve, transfer, return) that the agent's
  process did not see.

  KEYS[1]  state hash of the conversation   (field v = version; absent = 0)
  KEYS[2]  transcript list of the conversation (same hash tag as KEYS[1])

  ARGV[1]    expected version (integer)
  ARGV[2]    the transcript's TTL (ms), set unless the handoff is open (field o = '1': no TTL)
  ARGV[3..]  TranscriptEntry JSON lines, in order

  Result   {1}                   appended
           {0, currentJson|''}   version mismatch; '' = never stored (the caller uses initialState())
]]
local cur = redis.call('HMGET', KEYS[1], 'v', 's')
local version = tonumber(cur[1]) or 0
if version ~= tonumber(ARGV[1]) then
  return {0, cur[2] or ''}
end
if #ARGV > 2 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 3))
  if redis.call('HGET', KEYS[1], 'o') ~= '1' then
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
  end
end
return {1}
