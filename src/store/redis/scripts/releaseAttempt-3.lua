--[[
  releaseAttempt: give a reserved sign-in attempt back (a sign-in that succeeded), and forget every
  attempt on the counters the success clears.

  KEYS[1..3]  the counters (sorted sets of tickets)

  ARGV[1]  ticket
  ARGV[2..4]  what to do on KEYS[1..3]: 'give' (remove the ticket), 'clear' (delete the counter), '' (nothing)

  Result   the number of counters changed
]]
local changed = 0
for i = 1, 3 do
  local op = ARGV[1 + i]
  if op == 'give' then
    changed = changed + redis.call('ZREM', KEYS[i], ARGV[1])
  elseif op == 'clear' then
    changed = changed + redis.call('DEL', KEYS[i])
  end
end
return changed
