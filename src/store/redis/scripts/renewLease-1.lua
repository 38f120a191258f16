--[[
  renewLease: extend a lease only while the caller still holds it. An expired lease is gone (Redis
  removed the key), and it is never re-created here: another process may already have seen it
  free, so the old holder must go through acquireLease and may lose.

  KEYS[1]  the lease key

  ARGV[1]  holder id
  ARGV[2]  ttl in ms

  Result   1 extended to now + ttl, 0 lapsed or held by someone else
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
