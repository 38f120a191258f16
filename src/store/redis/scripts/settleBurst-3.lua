--[[
  settleBurst: the claimed burst was answered: remove it (only that burst: a later one of the same
  conversation, claimed after this one's lease ran out, stays), and remember its message ids for a
  while, so that one of them delivered again is not answered again (see addToBurst-3.lua).

  KEYS[1]  the conversation's claimed burst (hash, see takeBurst-4.lua)
  KEYS[2]  claimed bursts (sorted set, score = lease end)
  KEYS[3]  the conversation's answered message ids (set)

  ARGV[1]  conversation id
  ARGV[2]  the burst's id
  ARGV[3]  how long answered ids are remembered (ms)

  Result   1 removed, 0 not there (already settled, or another burst)
]]
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[2] then
  return 0
end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 2) == 'x:' then
    redis.call('SADD', KEYS[3], string.sub(field, 3))
  end
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
