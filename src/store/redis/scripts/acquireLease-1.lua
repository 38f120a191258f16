--[[
  acquireLease: take a lease that is free (missing or expired: Redis already removed it), or
  extend it when the caller already holds it. One script so "is it mine?" and "extend it" cannot
  be separated by the key expiring and another holder taking it in between.

  KEYS[1]  the lease key (string: the holder id, with PX expiry)

  ARGV[1]  holder id
  ARGV[2]  ttl in ms

  Result   1 held by ARGV[1] until now + ttl, 0 held by someone else
]]
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
