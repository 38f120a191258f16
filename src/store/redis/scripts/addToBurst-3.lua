--[[
  addToBurst: add a customer message to its conversation's open burst (opening one), in one step:
  the burst's deadline becomes the later of its current one and min(at + window, first + max), and
  the conversation is (re)indexed by that deadline so that a sweep finds it if its process dies.
  A message id already in the burst, or in a burst already answered (a line delivered twice: a
  turn inbox running it again after a crash, a webhook sent again), is not added again.

  KEYS[1]  the conversation's open burst (hash: id, route, first, deadline, n, a = last activity
           JSON, m1..mN = message JSON, x:<message id> = 1)
  KEYS[2]  open bursts (sorted set of conversation ids, score = deadline, ms)
  KEYS[3]  the conversation's answered message ids (set, see settleBurst-3.lua)

  ARGV[1]  conversation id
  ARGV[2]  message id
  ARGV[3]  at (ms)
  ARGV[4]  message JSON
  ARGV[5]  activity JSON
  ARGV[6]  window (ms)
  ARGV[7]  max from the first message (ms)
  ARGV[8]  route
  ARGV[9]  an id for the burst, used when this message opens it
  ARGV[10] how long an unanswered burst is kept at most (ms)

  Result   {deadline, size, 1} added; {deadline, size, 0} the message was already in it;
           {0, 0, 0} it was in a burst already answered
]]
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 1 then
  return {0, 0, 0}
end
local at = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'id', ARGV[9], 'route', ARGV[8], 'first', ARGV[3], 'deadline', '0', 'n', '0')
end
if redis.call('HSETNX', KEYS[1], 'x:' .. ARGV[2], '1') == 0 then
  return {tonumber(redis.call('HGET', KEYS[1], 'deadline')), tonumber(redis.call('HGET', KEYS[1], 'n')), 0}
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local first = tonumber(redis.call('HGET', KEYS[1], 'first'))
local deadline = math.min(at + tonumber(ARGV[6]), first + tonumber(ARGV[7]))
local before = tonumber(redis.call('HGET', KEYS[1], 'deadline'))
if before > deadline then
  deadline = before
end
local d = string.format('%.0f', deadline)
redis.call('HSET', KEYS[1], 'm' .. n, ARGV[4], 'a', ARGV[5], 'deadline', d)
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('ZADD', KEYS[2], d, ARGV[1])
return {deadline, n, 1}
