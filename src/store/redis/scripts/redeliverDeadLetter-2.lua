--[[
  redeliverDeadLetter: take one dead letter out of the list and send its message again on its route,
  in one step, so a crash cannot lose it between the two and two supervisors clicking "retry" send it
  once.

  KEYS[1]  dead-letter list
  KEYS[2]  the route's stream

  ARGV[1]  the dead letter exactly as stored (LREM matches the whole element)
  ARGV[2]  the RelayMessage JSON
  ARGV[3]  approximate stream cap (XADD MAXLEN ~)
  ARGV[4]  the stream's TTL (ms: retention.relayStreamsDays, restarted by every message)

  Result   1 sent again, 0 no longer in the list

  Cluster note: the dead-letter list serves every route, so it is not in the route's slot; fine on a
  single Redis, the deployment supported now.
]]
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return 0
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
