import { PRELUDE } from './redisScriptPrelude.js';

/** The registry's scripts about tickets and the queue, placing customers from it, and time running out. */
export const QUEUE_SCRIPTS = {
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

  // ARGV: prefix, from, fromSession, waitUntil
  requeue: `${PRELUDE}
local from, session, wu = ARGV[2], ARGV[3], ARGV[4]
local a = hgetall(roomKey(from))
if not a or a.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
if not a.cn then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
if not a.cs then return cjson.encode({ kind = 'refused', reason = 'customer_away' }) end
local s = { name = a.cn, session = a.cs, conversationId = a.ci, resumeHash = a.ch }
unseat(from, a)
toQueueHead(s, from, wu)
return cjson.encode({ kind = 'requeued', from = view(from, a), seat = s, position = 1 })`,

  // ARGV: prefix, agent, waitUntil
  // Only while the agent is away: a connected one is revoked through their socket.
  requeueAway: `${PRELUDE}
local agent, wu = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r then return cjson.encode({ kind = 'refused', reason = 'no_room' }) end
if r.as then return cjson.encode({ kind = 'refused', reason = 'not_away' }) end
if not r.cn or not r.cs then
  local before = view(agent, r)
  removeRoom(agent, r)
  return cjson.encode({ kind = 'closed', from = before })
end
local s = { name = r.cn, session = r.cs, conversationId = r.ci, resumeHash = r.ch }
unseat(agent, r)
removeRoom(agent, r)
toQueueHead(s, agent, wu)
return cjson.encode({ kind = 'requeued', from = view(agent, r), seat = s, position = 1 })`,

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
} as const;
