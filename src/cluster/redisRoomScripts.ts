import { PRELUDE } from './redisScriptPrelude.js';

/** The registry's scripts about rooms and the people in them: opening, leaving, away and back, reads. */
export const ROOM_SCRIPTS = {
  // ARGV: prefix, agent, session, nameKey
  openRoom: `${PRELUDE}
local agent, session, nk = ARGV[2], ARGV[3], ARGV[4]
local r = hgetall(roomKey(agent))
if not r then
  if redis.call('EXISTS', P .. 'name:' .. nk) == 1 then return cjson.encode({ kind = 'taken' }) end
  redis.call('SET', P .. 'name:' .. nk, agent)
  local order = redis.call('INCR', P .. 'clock')
  redis.call('HSET', roomKey(agent), 'as', session, 'fo', order, 'nk', nk)
  redis.call('ZADD', P .. 'rooms', order, agent)
  redis.call('ZADD', P .. 'free', order, agent)
  return cjson.encode({ kind = 'opened' })
end
if r.as then return cjson.encode({ kind = 'taken' }) end
redis.call('HSET', roomKey(agent), 'as', session)
redis.call('HDEL', roomKey(agent), 'aa')
r.as = session
markFreeIfFree(agent, r)
return cjson.encode({ kind = 'resumed', room = view(agent, r) })`,

  // ARGV: prefix, agent, session
  closeRoom: `${PRELUDE}
local agent, session = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r or r.as ~= session then return cjson.encode(false) end
removeRoom(agent, r)
return cjson.encode(view(agent, r))`,

  // ARGV: prefix, resumeHash, customer, session
  resumeCustomer: `${PRELUDE}
local ch, customer, session = ARGV[2], ARGV[3], ARGV[4]
local agent = redis.call('GET', P .. 'resume:' .. ch)
if not agent then return cjson.encode({ kind = 'refused' }) end
local r = hgetall(roomKey(agent))
if not r or not r.cn or r.ch ~= ch or r.cn ~= customer then return cjson.encode({ kind = 'refused' }) end
local replaced = r.cs
redis.call('HSET', roomKey(agent), 'cs', session)
redis.call('HDEL', roomKey(agent), 'ca')
r.cs = session
local out = { kind = 'resumed', room = view(agent, r), seat = seatView(r) }
if replaced then out.replaced = replaced end
return cjson.encode(out)`,

  // ARGV: prefix, from, fromSession, to, now
  transfer: `${PRELUDE}
local from, session, to, now = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local a = hgetall(roomKey(from))
if not a or a.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
if not a.cn then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
local b = hgetall(roomKey(to))
if from == to or not b or not b.as or b.cn or (b.rt and tonumber(b.re) > now) then
  return cjson.encode({ kind = 'refused', reason = 'not_free' })
end
local s = { cn = a.cn, cs = a.cs, ca = a.ca, ci = a.ci, ch = a.ch }
unseat(from, a)
-- A lapsed reservation goes; its ticket key stays, so its late holder hears "expired".
local k = roomKey(to)
redis.call('HDEL', k, 'rt', 'rc', 're', 'cs', 'ca')
redis.call('HSET', k, 'cn', s.cn, 'ci', s.ci, 'ch', s.ch)
if s.cs then redis.call('HSET', k, 'cs', s.cs) end
if s.ca then redis.call('HSET', k, 'ca', s.ca) end
redis.call('ZREM', P .. 'free', to)
redis.call('SET', P .. 'resume:' .. s.ch, to)
b = hgetall(k)
return cjson.encode({ kind = 'moved', from = view(from, a), to = view(to, b), seat = seatView(b) })`,

  // ARGV: prefix
  listRooms: `${PRELUDE}
local out = {}
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then out[#out + 1] = view(agent, r) end
end
return cjson.encode(out)`,

  // ARGV: prefix, agent, customerSession
  leaveRoom: `${PRELUDE}
local agent, session = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r or r.cs ~= session then return cjson.encode(false) end
local before = view(agent, r)
unseat(agent, r)
return cjson.encode(before)`,

  // ARGV: prefix, agent, role, session, until
  markAway: `${PRELUDE}
local agent, role, session, untilMs = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local r = hgetall(roomKey(agent))
if not r then return cjson.encode(false) end
if role == 'kefu' then
  if r.as ~= session then return cjson.encode(false) end
  redis.call('HDEL', roomKey(agent), 'as')
  redis.call('HSET', roomKey(agent), 'aa', untilMs)
  redis.call('ZREM', P .. 'free', agent)
  r.as = nil
else
  if not r.cn or r.cs ~= session then return cjson.encode(false) end
  redis.call('HDEL', roomKey(agent), 'cs')
  redis.call('HSET', roomKey(agent), 'ca', untilMs)
  r.cs = nil
end
return cjson.encode(view(agent, r))`,

  // ARGV: prefix, agent
  getRoom: `${PRELUDE}
local r = hgetall(roomKey(ARGV[2]))
if not r then return cjson.encode(false) end
return cjson.encode(view(ARGV[2], r))`,

  // ARGV: prefix, agent, customer, conversationId, resumeHash, until, nameKey
  restoreRoom: `${PRELUDE}
local agent, name, ci, ch, untilMs, nk = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if redis.call('EXISTS', roomKey(agent)) == 1 or redis.call('EXISTS', P .. 'name:' .. nk) == 1 then return cjson.encode(false) end
redis.call('SET', P .. 'name:' .. nk, agent)
local order = redis.call('INCR', P .. 'clock')
redis.call('HSET', roomKey(agent), 'aa', untilMs, 'fo', order, 'cn', name, 'ci', ci, 'ch', ch, 'ca', untilMs, 'nk', nk)
redis.call('ZADD', P .. 'rooms', order, agent)
redis.call('SET', P .. 'resume:' .. ch, agent)
return cjson.encode(true)`,

  // ARGV: prefix, node id prefix (sessions are "NODE.N"): everyone connected through that node.
  sessionsOfNode: `${PRELUDE}
local node = ARGV[2]
local function mine(s) return s and string.sub(s, 1, #node + 1) == node .. '.' end
local out = {}
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then
    if mine(r.as) then table.insert(out, { role = 'kefu', name = agent, room = agent, session = r.as }) end
    if mine(r.cs) then table.insert(out, { role = 'yonghu', name = r.cn, room = agent, session = r.cs }) end
  end
end
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local e = hgetall(P .. 'q:' .. ticket)
  if e and mine(e.s) then table.insert(out, { role = 'yonghu', name = e.c, session = e.s }) end
end
return cjson.encode(out)`,

  // ARGV: prefix
  stats: `${PRELUDE}
local rooms, busy, away = 0, 0, 0
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then
    rooms = rooms + 1
    if not r.as then away = away + 1 end
    if r.cn then busy = busy + 1 end
  end
end
return cjson.encode({ rooms = rooms, busy = busy, away = away, queue = redis.call('LLEN', P .. 'queue') })`,
} as const;
