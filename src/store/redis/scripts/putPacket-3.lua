--[[
  putPacket: store a handoff's briefing, remember its id in the conversation's packet-id set (so an
  erasure finds every briefing of the conversation), and start both retentions, unless the
  conversation's handoff is open (kept without TTL until the closing transition, commitHandoff-7.lua).

  KEYS[1]  the packet (string: HandoffPacket JSON)
  KEYS[2]  the conversation's packet-id set
  KEYS[3]  state hash of the conversation (field o = '1' while the handoff is open)

  ARGV[1]  packet JSON
  ARGV[2]  handoff id
  ARGV[3]  TTL (ms)

  Result   1

  Cluster note: the packet key is named by the handoff id, not the conversation, so it is not in
  the conversation's slot; fine on a single Redis, the deployment supported now.
]]
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('HGET', KEYS[3], 'o') == '1' then
  redis.call('PERSIST', KEYS[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1
