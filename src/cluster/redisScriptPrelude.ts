/**
 * The Redis room registry's transitions, one Lua script each, so every transition is atomic
 * across nodes exactly as the in-process registry's methods are atomic within one process.
 * Keys are built from the prefix in ARGV[1] (one Redis, not Redis Cluster).
 *
 * Layout (P = prefix):
 *   P rooms            zset  agent -> free order (every room; listRooms reads it in this order)
 *   P free             zset  agent -> load * 1e12 + free order, for rooms with a free slot only
 *                            (agent present, status online, load below capacity; load = seats plus
 *                            live reservations), so ZRANGE gives the placement order; rescored
 *                            whenever a room's load, status, capacity or presence changes
 *   P room:AGENT       hash  as agent session, aa agent away-until, fo free order, nk name key,
 *                            cap capacity, st status ('online' | 'away')
 *   P seats:AGENT      zset  conversation id -> seat order (the room's seats, in the order seated)
 *   P seat:CONV        hash  a agent, n customer name, s customer session (absent while away),
 *                            w away-until, h resume hash
 *   P resume:HASH      string  the conversation id seated under this resume hash
 *   P rv:AGENT         zset  ticket -> order made: the room's reservations not swept yet
 *   P resv             zset  "TICKET AGENT" -> expiry: every reservation, so one range finds
 *                            the lapsed ones (swept before any placement counts them)
 *   P ticket:T         hash  a agent (absent for a queue ticket), c customer, e expiry, h holder;
 *                            kept a while past expiry
 *   P held:HOLDER      zset  a client's unused reservations: ticket -> expiry
 *   P queue            list  ids of waiting customers, head first
 *   P q:T              hash  c customer, s session (absent while away), w away-until, ci/ch seat keys, wu wait-until,
 *                            k '1' for a customer handed back (keeps its conversation), x the agent who did
 *   P qs:SESSION       string  the queue id of a connected waiting customer
 *   P name:KEY         string  agent whose room has this agentNameKey (look-alikes are one name)
 *   P clock            counter for free order, seat order and reservation order
 * Times are ms since the epoch, passed in by the caller (nodes share one clock source).
 */
/** Key helpers and shared steps every registry script starts with. */
export const PRELUDE = `
local P = ARGV[1]
local function roomKey(a) return P .. 'room:' .. a end
local function seatsKey(a) return P .. 'seats:' .. a end
local function seatKey(ci) return P .. 'seat:' .. ci end
local function rvKey(a) return P .. 'rv:' .. a end
local function tick() return redis.call('INCR', P .. 'clock') end
local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end
local function seatView(ci, s)
  local v = { name = s.n, conversationId = ci, resumeHash = s.h }
  if s.s then v.session = s.s end
  return v
end
-- The room's seats in seat order, each { ci = conversation id, s = its seat hash }.
local function seatsOf(agent)
  local out = {}
  for _, ci in ipairs(redis.call('ZRANGE', seatsKey(agent), 0, -1)) do
    local s = hgetall(seatKey(ci))
    if s then out[#out + 1] = { ci = ci, s = s } end
  end
  return out
end
-- A room hash written before rooms had a capacity and a status is a seed room: one seat, online.
local function capOf(cap) return tonumber(cap) or 1 end
local function view(agent, r)
  local v = { agent = agent, capacity = capOf(r.cap), status = r.st or 'online', seats = {}, reservedFor = {} }
  if r.as then v.agentSession = r.as end
  for _, x in ipairs(seatsOf(agent)) do table.insert(v.seats, seatView(x.ci, x.s)) end
  for _, t in ipairs(redis.call('ZRANGE', rvKey(agent), 0, -1)) do
    local c = redis.call('HGET', P .. 'ticket:' .. t, 'c')
    if c then table.insert(v.reservedFor, c) end
  end
  return v
end
local function load(agent)
  return redis.call('ZCARD', seatsKey(agent)) + redis.call('ZCARD', rvKey(agent))
end
-- Puts the agent in the free zset at their place in placement order, or takes them out.
local function rescore(agent)
  local r = redis.call('HMGET', roomKey(agent), 'as', 'st', 'cap', 'fo')
  if r[1] and r[2] ~= 'away' then
    local n = load(agent)
    if n < capOf(r[3]) then
      redis.call('ZADD', P .. 'free', string.format('%.0f', n * 1e12 + (tonumber(r[4]) or 0)), agent)
      return
    end
  end
  redis.call('ZREM', P .. 'free', agent)
end
-- A slot came free: among rooms equally loaded, this one is now the last to have come free.
local function bumpFree(agent)
  local order = tick()
  redis.call('HSET', roomKey(agent), 'fo', order)
  redis.call('ZADD', P .. 'rooms', order, agent)
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
  setTicket(ticket, agent, customer, exp, keepMs, holder)
  redis.call('ZADD', rvKey(agent), tick(), ticket)
  redis.call('ZADD', P .. 'resv', exp, ticket .. ' ' .. agent)
  if holder ~= '' then
    redis.call('ZADD', P .. 'held:' .. holder, exp, ticket)
    redis.call('PEXPIRE', P .. 'held:' .. holder, keepMs)
  end
  rescore(agent)
end
-- The reservation goes (used or lapsed); its ticket key is the caller's to keep or delete.
local function unreserve(agent, ticket)
  redis.call('ZREM', rvKey(agent), ticket)
  redis.call('ZREM', P .. 'resv', ticket .. ' ' .. agent)
  rescore(agent)
end
-- Lapsed reservations hold no slot: dropped before anything counts the rooms' load. Tickets
-- have no spaces (base64url), so the first space ends the ticket.
local function sweepLapsed(now)
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', P .. 'resv', '-inf', now)) do
    local sp = string.find(m, ' ', 1, true)
    unreserve(string.sub(m, sp + 1), string.sub(m, 1, sp - 1))
  end
end
-- The agent with a free slot placement picks first that a newcomer may have: nobody in the
-- queue may take it (only customers handed back by that agent, or customers away, wait), so it
-- goes to the newcomer rather than standing idle.
local function freeForNewcomer()
  local only = nil
  for _, t in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
    local e = redis.call('HMGET', P .. 'q:' .. t, 'x', 's')
    local x = e[1]
    if e[2] then
      if not x or (only and only ~= x) then return nil end
      only = x
    end
  end
  if not only then return redis.call('ZRANGE', P .. 'free', 0, 0)[1] end
  if redis.call('ZSCORE', P .. 'free', only) then return only end
  return nil
end
local function seat(agent, ci, name, session, ch, awayUntil)
  local k = seatKey(ci)
  redis.call('DEL', k)
  redis.call('HSET', k, 'a', agent, 'n', name, 'h', ch)
  if session then redis.call('HSET', k, 's', session) end
  if awayUntil then redis.call('HSET', k, 'w', awayUntil) end
  redis.call('ZADD', seatsKey(agent), tick(), ci)
  redis.call('SET', P .. 'resume:' .. ch, ci)
  rescore(agent)
end
local function dropSeat(ci, s)
  redis.call('DEL', seatKey(ci))
  if redis.call('GET', P .. 'resume:' .. s.h) == ci then redis.call('DEL', P .. 'resume:' .. s.h) end
end
local function unseat(agent, ci, s)
  redis.call('ZREM', seatsKey(agent), ci)
  dropSeat(ci, s)
  bumpFree(agent)
  rescore(agent)
end
-- The seat in the agent's room whose customer session is this one.
local function seatOfSession(agent, session)
  for _, x in ipairs(seatsOf(agent)) do
    if x.s.s == session then return x.ci, x.s end
  end
  return nil, nil
end
-- The seat of this conversation if it is in the agent's room.
local function seatIn(agent, ci)
  local s = hgetall(seatKey(ci))
  if s and s.a == agent then return s end
  return nil
end
local function removeRoom(agent, r)
  if r.nk and redis.call('GET', P .. 'name:' .. r.nk) == agent then redis.call('DEL', P .. 'name:' .. r.nk) end
  for _, x in ipairs(seatsOf(agent)) do dropSeat(x.ci, x.s) end
  for _, t in ipairs(redis.call('ZRANGE', rvKey(agent), 0, -1)) do
    local h = redis.call('HGET', P .. 'ticket:' .. t, 'h')
    if h then redis.call('ZREM', P .. 'held:' .. h, t) end
    redis.call('DEL', P .. 'ticket:' .. t)
    redis.call('ZREM', P .. 'resv', t .. ' ' .. agent)
  end
  redis.call('DEL', roomKey(agent), seatsKey(agent), rvKey(agent))
  redis.call('ZREM', P .. 'rooms', agent)
  redis.call('ZREM', P .. 'free', agent)
end
-- Customers handed back by agent from go to the head of the queue in the order given: they
-- were served already, keep their conversation (k), and wait only for another agent (x).
-- Each of seats is a seat view with its session.
local function toQueueHead(seats, from, wu)
  for i = #seats, 1, -1 do
    local s = seats[i]
    local ticket = 'requeue:' .. s.conversationId
    redis.call('DEL', P .. 'q:' .. ticket)
    redis.call('HSET', P .. 'q:' .. ticket, 'c', s.name, 's', s.session, 'ci', s.conversationId, 'ch', s.resumeHash, 'wu', wu, 'k', '1', 'x', from)
    redis.call('LREM', P .. 'queue', 0, ticket)
    redis.call('LPUSH', P .. 'queue', ticket)
    redis.call('SET', P .. 'qs:' .. s.session, ticket)
  end
end
`;
