--[[
  takeBurst: claim a conversation's burst for one caller, in one step (so exactly one caller gets
  it): a claimed burst whose lease ran out (its claimer died before settling) is handed out again
  first; else the open burst, once its deadline has passed (or at once with force), becomes the
  claimed one. While a claimed burst's lease runs, nothing else of the conversation is handed out.

  KEYS[1]  the conversation's open burst (hash, see addToBurst-3.lua)
  KEYS[2]  the conversation's claimed burst (the same hash, renamed, plus owner, lease, attempts)
  KEYS[3]  open bursts (sorted set, score = deadline)
  KEYS[4]  claimed bursts (sorted set of conversation ids, score = lease end)

  ARGV[1]  conversation id
  ARGV[2]  now (ms)
  ARGV[3]  owner (the claimer)
  ARGV[4]  lease (ms)
  ARGV[5]  '1' to take the open burst before its deadline, '' otherwise
  ARGV[6]  how long a claimed burst is kept at most (ms)

  Result   {'claimed', {field, value, …}} | {'wait', deadline} | {'busy', lease end} | {'none'}
]]
local now = tonumber(ARGV[2])
local expires = string.format('%.0f', now + tonumber(ARGV[4]))
if redis.call('EXISTS', KEYS[2]) == 1 then
  local lease = tonumber(redis.call('HGET', KEYS[2], 'lease') or '0')
  if lease > now then
    return {'busy', lease}
  end
  redis.call('HSET', KEYS[2], 'owner', ARGV[3], 'lease', expires)
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('ZADD', KEYS[4], expires, ARGV[1])
  return {'claimed', redis.call('HGETALL', KEYS[2])}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[1])
  return {'none'}
end
local deadline = tonumber(redis.call('HGET', KEYS[1], 'deadline'))
if deadline > now and ARGV[5] ~= '1' then
  return {'wait', deadline}
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], 'owner', ARGV[3], 'lease', expires, 'attempts', '1')
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], expires, ARGV[1])
return {'claimed', redis.call('HGETALL', KEYS[2])}
