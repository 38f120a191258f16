--[[
  takeToken: take one token from a token bucket, refilled continuously, timed by Redis' own clock
  (TIME) so every process of the deployment agrees on it whatever their clocks say. A new bucket
  starts full; a bucket expires once it would be full again (nothing to remember).

  KEYS[1]  the bucket (hash: t = tokens, fractional; ts = last refill, ms)

  ARGV[1]  burst: the bucket's capacity (>= 1)
  ARGV[2]  refill: tokens per minute (> 0)

  Result   {1, 0, tokens left} taken; {0, ms until a token is there, 0} refused
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 60000
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * perMs)
local result
if tokens >= 1 then
  tokens = tokens - 1
  result = {1, 0, math.floor(tokens)}
else
  result = {0, math.ceil((1 - tokens) / perMs), 0}
end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
return result
