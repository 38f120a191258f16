--[[
  dueBursts: the conversations whose burst another process may have to answer: open bursts due for
  more than the grace period (their own process would have taken them by then) and claimed bursts
  whose lease ran out (their claimer died mid-turn), with each one's route. Index entries whose
  burst is gone (expired) are dropped. Only lists: `takeBurst-4.lua` decides who gets each one.

  KEYS[1]  open bursts (sorted set, score = deadline)
  KEYS[2]  claimed bursts (sorted set, score = lease end)

  ARGV[1]  now (ms)
  ARGV[2]  grace (ms)
  ARGV[3]  at most this many of each kind
  ARGV[4]  a conversation's open burst key is ARGV[4] .. id .. '}', its claimed one that .. ':claimed'

  Result   {conversation id, route, conversation id, route, …}

  Cluster note: the burst keys are built from ARGV, like claimInbox's; fine on a single Redis, the
  deployment supported now.
]]
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]), 'LIMIT', 0, limit)) do
  local route = redis.call('HGET', ARGV[4] .. id .. '}', 'route')
  if route then
    out[#out + 1] = id
    out[#out + 1] = route
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)) do
  local route = redis.call('HGET', ARGV[4] .. id .. '}:claimed', 'route')
  if route then
    out[#out + 1] = id
    out[#out + 1] = route
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
