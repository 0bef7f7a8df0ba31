/**
 * The Redis room registry's transitions, one Lua script each, so every transition is atomic
 * across nodes exactly as the in-process registry's methods are atomic within one process.
 * Keys are built from the prefix in ARGV[1] (one Redis, not Redis Cluster).
 *
 * Layout (P = prefix):
 *   P rooms            zset  agent -> order it last became free (every room)
 *   P free             zset  agent -> same order (rooms with agent present, no customer, no reservation)
 *   P room:AGENT       hash  as agent session, aa agent away-until, fo free order,
 *                            rt/rc/re reservation ticket/customer/expiry,
 *                            cn/cs/ca/ci/ch customer name/session/away-until/conversation/resume hash
 *   P ticket:T         hash  a agent (absent for a queue ticket), c customer, e expiry, h holder;
 *                            kept a while past expiry
 *   P held:HOLDER      zset  a client's unused reservations: ticket -> expiry
 *   P queue            list  ids of connected waiting customers, head first
 *   P q:T              hash  c customer, s session, ci/ch seat keys, wu wait-until,
 *                            k '1' for a customer handed back (keeps its conversation), x the agent who did
 *   P qs:SESSION       string  the queue id of a connected waiting customer
 *   P resume:HASH      string  agent whose room holds the seat
 *   P name:KEY         string  agent whose room has this agentNameKey (look-alikes are one name);
 *                            the room hash keeps it as nk
 *   P clock            counter for free order
 * Times are ms since the epoch, passed in by the caller (nodes share one clock source).
 */
const PRELUDE = `
local P = ARGV[1]
local function roomKey(a) return P .. 'room:' .. a end
local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end
local function seatView(r)
  local s = { name = r.cn, conversationId = r.ci, resumeHash = r.ch }
  if r.cs then s.session = r.cs end
  return s
end
local function view(agent, r)
  local v = { agent = agent }
  if r.as then v.agentSession = r.as end
  if r.cn then v.customer = seatView(r) end
  if r.rc then v.reservedFor = r.rc end
  return v
end
-- keepMs: how long the key lives (its lifetime plus a while, to say "expired" to a late holder),
-- relative, so Redis's own clock never has to agree with the callers'.
local function setTicket(ticket, agent, customer, exp, keepMs, holder)
  local k = P .. 'ticket:' .. ticket
  redis.call('DEL', k)
  redis.call('HSET', k, 'c', customer, 'e', exp)
  if agent then redis.call('HSET', k, 'a', agent) end
  if holder and holder ~= '' then redis.call('HSET', k, 'h', holder) end
  redis.call('PEXPIRE', k, keepMs)
end
local function reserve(agent, ticket, customer, exp, keepMs, holder)
  redis.call('HSET', roomKey(agent), 'rt', ticket, 'rc', customer, 're', exp)
  redis.call('ZREM', P .. 'free', agent)
  setTicket(ticket, agent, customer, exp, keepMs, holder)
  if holder ~= '' then
    redis.call('ZADD', P .. 'held:' .. holder, exp, ticket)
    redis.call('PEXPIRE', P .. 'held:' .. holder, keepMs)
  end
end
-- The free room idle longest that a newcomer may have: one nobody in the queue may take (only
-- customers handed back by its own agent wait there), so it goes to them rather than standing idle.
local function freeForNewcomer()
  local excluded = {}
  for _, t in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
    local x = redis.call('HGET', P .. 'q:' .. t, 'x')
    if not x then return nil end
    table.insert(excluded, x)
  end
  for _, agent in ipairs(redis.call('ZRANGE', P .. 'free', 0, -1)) do
    local open = true
    for _, x in ipairs(excluded) do
      if x ~= agent then open = false break end
    end
    if open then return agent end
  end
  return nil
end
local function seat(agent, name, session, ci, ch)
  local k = roomKey(agent)
  redis.call('HDEL', k, 'rt', 'rc', 're', 'ca')
  redis.call('HSET', k, 'cn', name, 'cs', session, 'ci', ci, 'ch', ch)
  redis.call('ZREM', P .. 'free', agent)
  redis.call('SET', P .. 'resume:' .. ch, agent)
end
local function unseat(agent, r)
  local k = roomKey(agent)
  if r.ch then redis.call('DEL', P .. 'resume:' .. r.ch) end
  redis.call('HDEL', k, 'cn', 'cs', 'ca', 'ci', 'ch')
  r.cn = nil; r.cs = nil; r.ca = nil; r.ci = nil; r.ch = nil
  local order = redis.call('INCR', P .. 'clock')
  redis.call('HSET', k, 'fo', order)
  r.fo = order
  redis.call('ZADD', P .. 'rooms', order, agent)
  if r.as and not r.rt then redis.call('ZADD', P .. 'free', order, agent) end
end
local function removeRoom(agent, r)
  if r.nk and redis.call('GET', P .. 'name:' .. r.nk) == agent then redis.call('DEL', P .. 'name:' .. r.nk) end
  redis.call('DEL', roomKey(agent))
  redis.call('ZREM', P .. 'rooms', agent)
  redis.call('ZREM', P .. 'free', agent)
  if r.ch then redis.call('DEL', P .. 'resume:' .. r.ch) end
  if r.rt then redis.call('DEL', P .. 'ticket:' .. r.rt) end
end
local function markFreeIfFree(agent, r)
  if r.as and not r.cn and not r.rt then redis.call('ZADD', P .. 'free', r.fo, agent) end
end
`;

export const REDIS_REGISTRY_SCRIPTS = {
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

  // ARGV: prefix, customer, ticket, ticketExpiry, maxLength, keepMs, now, holder ('' for none), maxReservations
  requestRoom: `${PRELUDE}
local customer, ticket, exp, maxLength, keepMs = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local now, holder, maxHeld = ARGV[7], ARGV[8], tonumber(ARGV[9])
local mayReserve = true
if holder ~= '' then
  redis.call('ZREMRANGEBYSCORE', P .. 'held:' .. holder, '-inf', now)
  mayReserve = redis.call('ZCARD', P .. 'held:' .. holder) < maxHeld
end
if mayReserve then
  local agent = freeForNewcomer()
  if agent then
    reserve(agent, ticket, customer, exp, keepMs, holder)
    return cjson.encode({ kind = 'reserved', room = view(agent, hgetall(roomKey(agent))) })
  end
end
local qlen = redis.call('LLEN', P .. 'queue')
if qlen >= maxLength then return cjson.encode({ kind = 'full' }) end
-- A queue ticket takes no place: the customer joins the queue when they connect with it.
setTicket(ticket, false, customer, exp, keepMs, '')
return cjson.encode({ kind = 'queued', position = qlen + 1 })`,

  // ARGV: prefix, ticket, customer, session, conversationId, resumeHash, now, waitUntil, maxLength
  claimTicket: `${PRELUDE}
local ticket, customer, session, ci, ch, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local waitUntil, maxLength = ARGV[8], tonumber(ARGV[9])
local tk = P .. 'ticket:' .. ticket
local t = hgetall(tk)
if not t then return cjson.encode({ kind = 'refused', reason = 'unknown' }) end
if not t.a then
  if tonumber(t.e) <= now then
    redis.call('DEL', tk)
    return cjson.encode({ kind = 'refused', reason = 'expired' })
  end
  if t.c ~= customer then return cjson.encode({ kind = 'refused', reason = 'wrong_name' }) end
  redis.call('DEL', tk)
  -- An agent came free since the ticket was given and nobody waiting may take them.
  local agent = freeForNewcomer()
  if agent then
    seat(agent, customer, session, ci, ch)
    return cjson.encode({ kind = 'seated', room = view(agent, hgetall(roomKey(agent))) })
  end
  local qlen = redis.call('LLEN', P .. 'queue')
  if qlen >= maxLength then return cjson.encode({ kind = 'refused', reason = 'full' }) end
  redis.call('DEL', P .. 'q:' .. ticket)
  redis.call('HSET', P .. 'q:' .. ticket, 'c', customer, 's', session, 'ci', ci, 'ch', ch, 'wu', waitUntil)
  redis.call('RPUSH', P .. 'queue', ticket)
  redis.call('SET', P .. 'qs:' .. session, ticket)
  return cjson.encode({ kind = 'waiting', position = qlen + 1 })
end
local agent = t.a
local r = hgetall(roomKey(agent))
local held = r and r.rt == ticket
if tonumber(t.e) <= now then
  redis.call('DEL', tk)
  if held then
    redis.call('HDEL', roomKey(agent), 'rt', 'rc', 're')
    r.rt = nil
    markFreeIfFree(agent, r)
  end
  return cjson.encode({ kind = 'refused', reason = 'expired' })
end
if not held then
  redis.call('DEL', tk)
  return cjson.encode({ kind = 'refused', reason = 'unknown' })
end
if r.rc ~= customer then return cjson.encode({ kind = 'refused', reason = 'wrong_name' }) end
redis.call('DEL', tk)
if t.h then redis.call('ZREM', P .. 'held:' .. t.h, ticket) end
seat(agent, customer, session, ci, ch)
return cjson.encode({ kind = 'seated', room = view(agent, hgetall(roomKey(agent))) })`,

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

  // ARGV: prefix, from, fromSession, waitUntil
  requeue: `${PRELUDE}
local from, session, wu = ARGV[2], ARGV[3], ARGV[4]
local a = hgetall(roomKey(from))
if not a or a.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
if not a.cn then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
if not a.cs then return cjson.encode({ kind = 'refused', reason = 'customer_away' }) end
local s = { name = a.cn, session = a.cs, conversationId = a.ci, resumeHash = a.ch }
unseat(from, a)
-- The head of the queue: they were served already, and wait only for another agent.
local ticket = 'requeue:' .. s.conversationId
redis.call('DEL', P .. 'q:' .. ticket)
redis.call('HSET', P .. 'q:' .. ticket, 'c', s.name, 's', s.session, 'ci', s.conversationId, 'ch', s.resumeHash, 'wu', wu, 'k', '1', 'x', from)
redis.call('LREM', P .. 'queue', 0, ticket)
redis.call('LPUSH', P .. 'queue', ticket)
redis.call('SET', P .. 'qs:' .. s.session, ticket)
return cjson.encode({ kind = 'requeued', from = view(from, a), seat = s, position = 1 })`,

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

  // ARGV: prefix, customerSession
  leaveQueue: `${PRELUDE}
local session = ARGV[2]
local ticket = redis.call('GET', P .. 'qs:' .. session)
if not ticket then return cjson.encode(false) end
local e = hgetall(P .. 'q:' .. ticket)
redis.call('LREM', P .. 'queue', 1, ticket)
redis.call('DEL', P .. 'q:' .. ticket, P .. 'qs:' .. session)
if e and e.k then return cjson.encode({ conversationId = e.ci }) end
return '{}'`,

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

  // ARGV: prefix, now
  // Queue order, each to the free agent idle longest, but never back to the agent who handed
  // the customer back (x): that agent takes the next one instead.
  fillFreeRooms: `${PRELUDE}
local out = {}
local free = redis.call('ZRANGE', P .. 'free', 0, -1)
if #free == 0 then return '[]' end
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  if #free == 0 then break end
  local qk = P .. 'q:' .. ticket
  local e = hgetall(qk)
  if not e or not e.s then
    redis.call('LREM', P .. 'queue', 1, ticket)
    redis.call('DEL', qk)
  else
    local pick
    for i, a in ipairs(free) do
      if a ~= e.x then pick = i break end
    end
    if pick then
      local agent = table.remove(free, pick)
      redis.call('LREM', P .. 'queue', 1, ticket)
      redis.call('DEL', qk)
      redis.call('DEL', P .. 'qs:' .. e.s)
      seat(agent, e.c, e.s, e.ci, e.ch)
      local r = hgetall(roomKey(agent))
      local placed = { room = view(agent, r), seat = seatView(r) }
      if e.k then placed.continued = true end
      table.insert(out, placed)
    end
  end
end
return cjson.encode(out)`,

  // ARGV: prefix, now
  expire: `${PRELUDE}
local now = tonumber(ARGV[2])
local out = { customers = {}, agents = {}, waiting = {} }
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then
    if not r.as and r.aa and tonumber(r.aa) <= now then
      table.insert(out.agents, view(agent, r))
      removeRoom(agent, r)
    else
      if r.cn and not r.cs and r.ca and tonumber(r.ca) <= now then
        table.insert(out.customers, { room = view(agent, r), seat = seatView(r) })
        unseat(agent, r)
      end
      if r.rt and tonumber(r.re) <= now then
        -- The ticket key stays until its own expiry, so its holder hears "expired".
        redis.call('HDEL', roomKey(agent), 'rt', 'rc', 're')
        r.rt = nil
        markFreeIfFree(agent, r)
      end
    end
  end
end
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local qk = P .. 'q:' .. ticket
  local e = hgetall(qk)
  if not e then
    redis.call('LREM', P .. 'queue', 1, ticket)
  elseif not e.s then
    redis.call('LREM', P .. 'queue', 1, ticket)
    redis.call('DEL', qk)
  elseif tonumber(e.wu) <= now then
    redis.call('LREM', P .. 'queue', 1, ticket)
    redis.call('DEL', qk, P .. 'qs:' .. e.s)
    local w = { customer = e.c, session = e.s }
    if e.k then w.conversationId = e.ci end
    table.insert(out.waiting, w)
  end
end
return cjson.encode(out)`,

  // ARGV: prefix
  waiting: `${PRELUDE}
local out = {}
for i, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local e = hgetall(P .. 'q:' .. ticket)
  if e and e.s then table.insert(out, { customer = e.c, session = e.s, position = i }) end
end
return cjson.encode(out)`,

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

export type RedisRegistryScript = keyof typeof REDIS_REGISTRY_SCRIPTS;
