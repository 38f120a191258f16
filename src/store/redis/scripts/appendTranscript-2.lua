--[[
  appendTranscript: append lines to a conversation's transcript and (re)start its retention: the
  TTL is set from now, unless the conversation's handoff is open (commitHandoff-7.lua keeps it
  without TTL until the closing transition).

  KEYS[1]  state hash of the conversation (field o = '1' while the handoff is open)
  KEYS[2]  transcript list of the conversation (same hash tag as KEYS[1])

  ARGV[1]    the transcript's TTL (ms)
  ARGV[2..]  TranscriptEntry JSON lines, in order

  Result   the list's length
]]
local n = redis.call('RPUSH', KEYS[2], unpack(ARGV, 2))
if redis.call('HGET', KEYS[1], 'o') ~= '1' then
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return n
