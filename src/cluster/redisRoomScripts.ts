import { PRELUDE } from './redisScriptPrelude.js';

/** The registry's scripts about rooms and the people in them: opening, leaving, away and back, reads. */
export const ROOM_SCRIPTS = {
  // ARGV: prefix, agent, session, nameKey, capacity
  openRoom: `${PRELUDE}
local agent, session, nk, cap = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local r = hgetall(roomKey(agent))
if not r then
  if redis.call('EXISTS', P .. 'name:' .. nk) == 1 then return cjson.encode({ kind = 'taken' }) end
  redis.call('SET', P .. 'name:' .. nk, agent)
  local order = tick()
  redis.call('HSET', roomKey(agent), 'as', session, 'fo', order, 'nk', nk, 'cap', cap, 'st', 'online')
  redis.call('ZADD', P .. 'rooms', order, agent)
  rescore(agent)
  return cjson.encode({ kind = 'opened' })
end
if r.as then return cjson.encode({ kind = 'taken' }) end
redis.call('HSET', roomKey(agent), 'as', session, 'cap', cap)
redis.call('HDEL', roomKey(agent), 'aa')
r.as = session
r.cap = cap
rescore(agent)
local out = { kind = 'resumed', room = view(agent, r) }
if r.aa then out.awayUntil = tonumber(r.aa) end
return cjson.encode(out)`,

  // ARGV: prefix, agent, session
  closeRoom: `${PRELUDE}
local agent, session = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r or r.as ~= session then return cjson.encode(false) end
local before = view(agent, r)
removeRoom(agent, r)
return cjson.encode(before)`,

  // ARGV: prefix, resumeHash, customer, session
  resumeCustomer: `${PRELUDE}
local ch, customer, session = ARGV[2], ARGV[3], ARGV[4]
local ci = redis.call('GET', P .. 'resume:' .. ch)
if not ci then
  -- Not seated: the customer may have a place in the queue, kept while they were away.
  for i, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
    local qk = P .. 'q:' .. ticket
    local e = hgetall(qk)
    if e and e.ch == ch and e.c == customer then
      if e.s then redis.call('DEL', P .. 'qs:' .. e.s) end
      redis.call('HSET', qk, 's', session)
      redis.call('HDEL', qk, 'w')
      redis.call('SET', P .. 'qs:' .. session, ticket)
      local out = { kind = 'waiting', position = i, conversationId = e.ci, waitUntil = tonumber(e.wu) }
      if e.s then out.replaced = e.s end
      return cjson.encode(out)
    end
  end
  return cjson.encode({ kind = 'refused' })
end
local s = hgetall(seatKey(ci))
if not s or s.h ~= ch or s.n ~= customer then return cjson.encode({ kind = 'refused' }) end
local r = hgetall(roomKey(s.a))
if not r then return cjson.encode({ kind = 'refused' }) end
local replaced = s.s
redis.call('HSET', seatKey(ci), 's', session)
redis.call('HDEL', seatKey(ci), 'w')
s.s = session
local out = { kind = 'resumed', room = view(s.a, r), seat = seatView(ci, s) }
if replaced then out.replaced = replaced end
return cjson.encode(out)`,

  // ARGV: prefix, agent, customerSession
  leaveRoom: `${PRELUDE}
local agent, session = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r then return cjson.encode(false) end
local ci, s = seatOfSession(agent, session)
if not ci then return cjson.encode(false) end
unseat(agent, ci, s)
return cjson.encode({ room = view(agent, r), seat = seatView(ci, s) })`,

  // ARGV: prefix, agent, role, session, until
  markAway: `${PRELUDE}
local agent, role, session, untilMs = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local r = hgetall(roomKey(agent))
if not r then return cjson.encode(false) end
if role == 'kefu' then
  if r.as ~= session then return cjson.encode(false) end
  redis.call('HDEL', roomKey(agent), 'as')
  redis.call('HSET', roomKey(agent), 'aa', untilMs)
  r.as = nil
  rescore(agent)
  return cjson.encode({ room = view(agent, r) })
end
local ci, s = seatOfSession(agent, session)
if not ci then return cjson.encode(false) end
redis.call('HDEL', seatKey(ci), 's')
redis.call('HSET', seatKey(ci), 'w', untilMs)
s.s = nil
return cjson.encode({ room = view(agent, r), seat = seatView(ci, s) })`,

  // ARGV: prefix, agent
  getRoom: `${PRELUDE}
local r = hgetall(roomKey(ARGV[2]))
if not r then return cjson.encode(false) end
return cjson.encode(view(ARGV[2], r))`,

  // ARGV: prefix, agent, customer, conversationId, resumeHash, until, nameKey
  // Restored rooms start at capacity 1 and grow to fit their seats until the agent opens them.
  restoreRoom: `${PRELUDE}
local agent, name, ci, ch, untilMs, nk = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if redis.call('EXISTS', seatKey(ci)) == 1 then return cjson.encode(false) end
local r = hgetall(roomKey(agent))
if not r then
  if redis.call('EXISTS', P .. 'name:' .. nk) == 1 then return cjson.encode(false) end
  redis.call('SET', P .. 'name:' .. nk, agent)
  local order = tick()
  redis.call('HSET', roomKey(agent), 'aa', untilMs, 'fo', order, 'nk', nk, 'cap', 1, 'st', 'online')
  redis.call('ZADD', P .. 'rooms', order, agent)
  r = { cap = '1' }
elseif r.as then
  -- The agent is back and serving: the room is theirs again, not one being restored.
  return cjson.encode(false)
elseif tonumber(r.aa or 0) < tonumber(untilMs) then
  redis.call('HSET', roomKey(agent), 'aa', untilMs)
end
seat(agent, ci, name, false, ch, untilMs)
local n = redis.call('ZCARD', seatsKey(agent))
if n > capOf(r.cap) then redis.call('HSET', roomKey(agent), 'cap', n) end
return cjson.encode(true)`,

  // ARGV: prefix
  listRooms: `${PRELUDE}
local out = {}
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then out[#out + 1] = view(agent, r) end
end
return cjson.encode(out)`,

  // ARGV: prefix, node id prefix (sessions are "NODE.N"): everyone connected through that node.
  sessionsOfNode: `${PRELUDE}
local node = ARGV[2]
local function mine(s) return s and string.sub(s, 1, #node + 1) == node .. '.' end
local out = {}
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then
    if mine(r.as) then table.insert(out, { role = 'kefu', name = agent, room = agent, session = r.as }) end
    for _, x in ipairs(seatsOf(agent)) do
      if mine(x.s.s) then table.insert(out, { role = 'yonghu', name = x.s.n, room = agent, session = x.s.s }) end
    end
  end
end
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local e = hgetall(P .. 'q:' .. ticket)
  if e and mine(e.s) then table.insert(out, { role = 'yonghu', name = e.c, session = e.s }) end
end
return cjson.encode(out)`,

  // ARGV: prefix
  stats: `${PRELUDE}
local rooms, busy, seats, away = 0, 0, 0, 0
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = redis.call('HGET', roomKey(agent), 'fo')
  if r then
    rooms = rooms + 1
    if redis.call('HEXISTS', roomKey(agent), 'as') == 0 then away = away + 1 end
    local n = redis.call('ZCARD', seatsKey(agent))
    seats = seats + n
    if n > 0 then busy = busy + 1 end
  end
end
return cjson.encode({ rooms = rooms, busy = busy, seats = seats, away = away, queue = redis.call('LLEN', P .. 'queue') })`,
} as const;
