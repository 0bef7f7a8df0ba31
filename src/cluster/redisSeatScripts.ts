import { PRELUDE } from './redisScriptPrelude.js';

/** The registry's scripts an agent runs on one conversation or on their room: resolve, status, transfer, hand back. */
export const SEAT_SCRIPTS = {
  // ARGV: prefix, agent, agentSession, conversationId
  resolve: `${PRELUDE}
local agent, session, ci = ARGV[2], ARGV[3], ARGV[4]
local r = hgetall(roomKey(agent))
if not r or r.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
local s = seatIn(agent, ci)
if not s then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
unseat(agent, ci, s)
return cjson.encode({ kind = 'resolved', room = view(agent, r), seat = seatView(ci, s) })`,

  // ARGV: prefix, agent, agentSession, status
  setStatus: `${PRELUDE}
local agent, session, st = ARGV[2], ARGV[3], ARGV[4]
local r = hgetall(roomKey(agent))
if not r or r.as ~= session then return cjson.encode(false) end
redis.call('HSET', roomKey(agent), 'st', st)
r.st = st
rescore(agent)
return cjson.encode(view(agent, r))`,

  // ARGV: prefix, from, fromSession, conversationId, to, now
  transfer: `${PRELUDE}
local from, session, ci, to, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local a = hgetall(roomKey(from))
if not a or a.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
local s = seatIn(from, ci)
if not s then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
sweepLapsed(now)
local b = hgetall(roomKey(to))
if from == to or not b or not b.as or b.st == 'away' or load(to) >= capOf(b.cap) then
  return cjson.encode({ kind = 'refused', reason = 'not_free' })
end
-- The seat moves whole (session, away-until, resume hash): only its room changes.
redis.call('ZREM', seatsKey(from), ci)
bumpFree(from)
rescore(from)
redis.call('HSET', seatKey(ci), 'a', to)
redis.call('ZADD', seatsKey(to), tick(), ci)
rescore(to)
return cjson.encode({ kind = 'moved', from = view(from, a), to = view(to, b), seat = seatView(ci, s) })`,

  // ARGV: prefix, from, fromSession, conversationId, waitUntil
  requeue: `${PRELUDE}
local from, session, ci, wu = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local a = hgetall(roomKey(from))
if not a or a.as ~= session then return cjson.encode({ kind = 'refused', reason = 'not_owner' }) end
local s = seatIn(from, ci)
if not s then return cjson.encode({ kind = 'refused', reason = 'no_customer' }) end
if not s.s then return cjson.encode({ kind = 'refused', reason = 'customer_away' }) end
unseat(from, ci, s)
local v = seatView(ci, s)
toQueueHead({ v }, from, wu)
return cjson.encode({ kind = 'requeued', from = view(from, a), seat = v, position = 1 })`,

  // ARGV: prefix, agent, waitUntil
  // Only while the agent is away: a connected one is revoked through their socket.
  requeueAway: `${PRELUDE}
local agent, wu = ARGV[2], ARGV[3]
local r = hgetall(roomKey(agent))
if not r then return cjson.encode({ kind = 'refused', reason = 'no_room' }) end
if r.as then return cjson.encode({ kind = 'refused', reason = 'not_away' }) end
local from = view(agent, r)
local connected, requeued, dropped = {}, {}, {}
for _, s in ipairs(from.seats) do
  if s.session then
    table.insert(connected, s)
    table.insert(requeued, { seat = s, position = #connected })
  else
    table.insert(dropped, s)
  end
end
removeRoom(agent, r)
toQueueHead(connected, agent, wu)
return cjson.encode({ kind = 'closed', from = from, requeued = requeued, dropped = dropped })`,
} as const;
