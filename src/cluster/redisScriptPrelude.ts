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
/** Key helpers and shared steps every registry script starts with. */
export const PRELUDE = `
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
-- The head of the queue for a customer handed back by agent from: they were served already, keep
-- their conversation (k), and wait only for another agent (x).
local function toQueueHead(s, from, wu)
  local ticket = 'requeue:' .. s.conversationId
  redis.call('DEL', P .. 'q:' .. ticket)
  redis.call('HSET', P .. 'q:' .. ticket, 'c', s.name, 's', s.session, 'ci', s.conversationId, 'ch', s.resumeHash, 'wu', wu, 'k', '1', 'x', from)
  redis.call('LREM', P .. 'queue', 0, ticket)
  redis.call('LPUSH', P .. 'queue', ticket)
  redis.call('SET', P .. 'qs:' .. s.session, ticket)
end
local function markFreeIfFree(agent, r)
  if r.as and not r.cn and not r.rt then redis.call('ZADD', P .. 'free', r.fo, agent) end
end
`;
