--[[
  releaseLease: free a lease early, only if the caller holds it (never someone else's, which a
  plain DEL after a lapse would do).

  KEYS[1]  the lease key

  ARGV[1]  holder id

  Result   1 released, 0 not held by ARGV[1] (nothing changed)
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
