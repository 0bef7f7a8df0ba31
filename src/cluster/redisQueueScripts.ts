import { PRELUDE } from './redisScriptPrelude.js';

/** The registry's scripts about tickets and the queue, placing customers from it, and time running out. */
export const QUEUE_SCRIPTS = {
  // ARGV: prefix, customer, ticket, ticketExpiry, maxLength, keepMs, now, holder ('' for none), maxReservations
  requestRoom: `${PRELUDE}
local customer, ticket, exp, maxLength, keepMs = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local now, holder, maxHeld = ARGV[7], ARGV[8], tonumber(ARGV[9])
sweepLapsed(now)
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
sweepLapsed(now)
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
  -- A slot came free since the ticket was given and nobody waiting may take it.
  local agent = freeForNewcomer()
  if agent then
    seat(agent, ci, customer, session, ch)
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
-- Swept above if it lapsed: a reservation still there is live.
local held = redis.call('ZSCORE', rvKey(agent), ticket)
if tonumber(t.e) <= now then
  redis.call('DEL', tk)
  return cjson.encode({ kind = 'refused', reason = 'expired' })
end
if not held then
  redis.call('DEL', tk)
  return cjson.encode({ kind = 'refused', reason = 'unknown' })
end
if t.c ~= customer then return cjson.encode({ kind = 'refused', reason = 'wrong_name' }) end
redis.call('DEL', tk)
if t.h then redis.call('ZREM', P .. 'held:' .. t.h, ticket) end
unreserve(agent, ticket)
seat(agent, ci, customer, session, ch)
return cjson.encode({ kind = 'seated', room = view(agent, hgetall(roomKey(agent))) })`,

  // ARGV: prefix, now
  // Queue order, each to the first agent in placement order, but never back to the agent who
  // handed the customer back (x): that agent takes the next one instead.
  fillFreeRooms: `${PRELUDE}
local now = ARGV[2]
if redis.call('LLEN', P .. 'queue') == 0 then return '[]' end
sweepLapsed(now)
local out = {}
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  -- The first two in placement order: one of them is not the agent who handed this customer back.
  local top = redis.call('ZRANGE', P .. 'free', 0, 1)
  if #top == 0 then break end
  local qk = P .. 'q:' .. ticket
  local e = hgetall(qk)
  if not e or not (e.s or e.w) then
    redis.call('LREM', P .. 'queue', 1, ticket)
    redis.call('DEL', qk)
  elseif e.s then
    local agent = top[1]
    if agent == e.x then agent = top[2] end
    if agent then
      redis.call('LREM', P .. 'queue', 1, ticket)
      redis.call('DEL', qk, P .. 'qs:' .. e.s)
      seat(agent, e.ci, e.c, e.s, e.ch)
      local placed = { room = view(agent, hgetall(roomKey(agent))), seat = seatView(e.ci, hgetall(seatKey(e.ci))) }
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

  // ARGV: prefix, customerSession, until
  // The place is kept (the entry stays where it is in the list), without a session to place.
  markQueueAway: `${PRELUDE}
local session, untilMs = ARGV[2], ARGV[3]
local ticket = redis.call('GET', P .. 'qs:' .. session)
if not ticket then return cjson.encode(false) end
local qk = P .. 'q:' .. ticket
redis.call('DEL', P .. 'qs:' .. session)
if redis.call('EXISTS', qk) == 0 then return cjson.encode(false) end
redis.call('HDEL', qk, 's')
redis.call('HSET', qk, 'w', untilMs)
for i, t in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  if t == ticket then return cjson.encode(i) end
end
return cjson.encode(false)`,

  // ARGV: prefix, now
  expire: `${PRELUDE}
local now = tonumber(ARGV[2])
sweepLapsed(now)
local out = { customers = {}, agents = {}, waiting = {} }
for _, agent in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local r = hgetall(roomKey(agent))
  if r then
    if not r.as and r.aa and tonumber(r.aa) <= now then
      table.insert(out.agents, view(agent, r))
      removeRoom(agent, r)
    else
      for _, x in ipairs(seatsOf(agent)) do
        if not x.s.s and x.s.w and tonumber(x.s.w) <= now then
          unseat(agent, x.ci, x.s)
          table.insert(out.customers, { room = view(agent, r), seat = seatView(x.ci, x.s) })
        end
      end
    end
  end
end
for _, ticket in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local qk = P .. 'q:' .. ticket
  local e = hgetall(qk)
  if not e then
    redis.call('LREM', P .. 'queue', 1, ticket)
  elseif not e.s and (not e.w or tonumber(e.w) <= now or tonumber(e.wu) <= now) then
    -- Away past grace (or past the wait): nobody to tell.
    redis.call('LREM', P .. 'queue', 1, ticket)
    redis.call('DEL', qk)
    local w = { customer = e.c }
    if e.k then w.conversationId = e.ci end
    if e.w then table.insert(out.waiting, w) end
  elseif e.s and tonumber(e.wu) <= now then
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
