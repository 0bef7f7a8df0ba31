import type { RoomEvent } from '../../domain/roomEvent.js';
import type { ServerFrame } from '../../protocol/frames.js';
import type { ImageRef } from '../../protocol/imageFormat.js';
import { FRAME_ERROR_TEXT } from '../../protocol/errorTexts.js';
import { BOT_SENDER, CLOSE_COMMAND_CONTENT, CLOSE_COMMAND_SENDER, SYSTEM_SENDER, notices } from '../../protocol/notices.js';

function system(neiRong: string, event: string, ts: number, extra: Partial<ServerFrame> = {}): ServerFrame {
  return { neiRong, shuiFaDe: SYSTEM_SENDER, type: 'system', event, ts, ...extra };
}

/** Makes the URL a client fetches an image from (signed and expiring: see ImageUrls). */
export type ImageUrlOf = (image: ImageRef, now: number) => string;

/**
 * Turns a domain event into the wire frame (seed fields first, additive fields after).
 * `imageUrl` gives image messages their URL; without it they go out with an empty one.
 */
export function encodeEvent(event: RoomEvent, now: number, imageUrl?: ImageUrlOf): ServerFrame {
  switch (event.kind) {
    case 'message': {
      // The hot path: fields set one by one (no rest/spread copies), absent ones left out.
      const frame: ServerFrame = { neiRong: event.content, shuiFaDe: event.sender, type: 'message', role: event.role, ts: event.ts };
      if (event.conversationId !== undefined) frame.conversationId = event.conversationId;
      if (event.id !== undefined) frame.id = event.id;
      if (event.seq !== undefined) frame.seq = event.seq;
      if (event.cid !== undefined) frame.cid = event.cid;
      if (event.replay) frame.replay = true;
      if (event.duplicate) frame.duplicate = true;
      if (event.image) frame.image = { ...event.image, url: imageUrl ? imageUrl(event.image, now) : '' };
      return frame;
    }
    case 'bot': {
      if (event.matched) return { neiRong: event.content, shuiFaDe: BOT_SENDER, type: 'bot', ts: event.ts, matched: true };
      // The fallback says why nobody answers yet: no agent at all (so "an agent is coming" would
      // be untrue: leave a message instead), or the place in the queue.
      const text = event.closed
        ? notices.botClosed
        : event.agentsOnline === 0
          ? notices.botNoAgent
          : event.position !== undefined
            ? notices.botQueued(event.content, event.position)
            : event.content;
      const frame: ServerFrame = { neiRong: text, shuiFaDe: BOT_SENDER, type: 'bot', ts: event.ts, matched: false, fallback: event.content };
      if (event.agentsOnline !== undefined) frame.agentsOnline = event.agentsOnline;
      if (event.position !== undefined) frame.position = event.position;
      if (event.closed) frame.closed = true;
      if (event.opensAt !== undefined) frame.opensAt = event.opensAt;
      return frame;
    }
    case 'bot_history':
      return {
        neiRong: notices.botHistory(event.customer, event.exchanges.length),
        shuiFaDe: SYSTEM_SENDER,
        type: 'bot_history',
        ts: now,
        customer: event.customer,
        conversationId: event.conversationId,
        botExchanges: event.exchanges,
      };
    case 'offline_messages': {
      const first = event.messages[0];
      const text = event.live && first ? notices.newOfflineMessage(first.name) : notices.offlineMessages(event.messages.length);
      const frame: ServerFrame = { neiRong: text, shuiFaDe: SYSTEM_SENDER, type: 'offline_messages', ts: now, offlineMessages: event.messages };
      if (event.live) frame.live = true;
      return frame;
    }
    case 'room_opened': {
      const extra: Partial<ServerFrame> = { agent: event.agent };
      if (event.capacity !== undefined) extra.capacity = event.capacity;
      if (event.status !== undefined) extra.status = event.status;
      return system(notices.roomOpened(event.agent), event.kind, now, extra);
    }
    case 'inbox':
      return {
        neiRong: notices.inbox(event.conversations.length),
        shuiFaDe: SYSTEM_SENDER,
        type: 'inbox',
        ts: now,
        conversations: event.conversations,
        capacity: event.capacity,
        status: event.status,
      };
    case 'conversation_resolved':
      return system(notices.conversationResolved(event.customer), event.kind, now, { conversationId: event.conversationId, customer: event.customer });
    case 'status':
      return system(notices.status(event.status), event.kind, now, { status: event.status });
    case 'agent_assigned': {
      const extra: Partial<ServerFrame> = { conversationId: event.conversationId, agent: event.agent };
      if (event.resume !== undefined) extra.resume = event.resume;
      if (event.transferredFrom !== undefined) extra.transferredFrom = event.transferredFrom;
      if (event.avatar !== undefined) extra.avatar = event.avatar;
      return system(notices.agentAssigned(event.agent), event.kind, now, extra);
    }
    case 'customer_entered': {
      const extra: Partial<ServerFrame> = { conversationId: event.conversationId, customer: event.customer };
      if (event.transferredFrom !== undefined) extra.transferredFrom = event.transferredFrom;
      if (event.avatar !== undefined) extra.avatar = event.avatar;
      if (event.startedAt !== undefined) extra.startedAt = event.startedAt;
      if (event.waitedMs !== undefined) extra.waitedMs = event.waitedMs;
      if (event.visitorId !== undefined) extra.visitorId = event.visitorId;
      if (event.email !== undefined) extra.email = event.email;
      if (event.verified === true) extra.verified = true;
      return system(notices.customerEntered(event.customer), event.kind, now, extra);
    }
    case 'customer_requeued':
      return system(notices.customerRequeued(event.customer), event.kind, now, { customer: event.customer, conversationId: event.conversationId });
    case 'requeued':
      return system(notices.requeued(event.agent, event.position), event.kind, now, {
        agent: event.agent,
        position: event.position,
        conversationId: event.conversationId,
      });
    case 'customer_transferred':
      return system(notices.customerTransferred(event.customer, event.to), event.kind, now, {
        customer: event.customer,
        transferredTo: event.to,
        conversationId: event.conversationId,
      });
    case 'typing':
      return { neiRong: '', shuiFaDe: event.peer, type: 'typing', role: event.role, ts: now, conversationId: event.conversationId };
    case 'presence': {
      let online = 0;
      for (const a of event.agents) if (a.state !== 'away') online++;
      return {
        neiRong: notices.presence(online, event.waiting),
        shuiFaDe: SYSTEM_SENDER,
        type: 'presence',
        ts: now,
        agents: event.agents,
        online,
        waiting: event.waiting,
        queue: event.queue,
      };
    }
    case 'team': {
      const frame: ServerFrame = { neiRong: event.content, shuiFaDe: event.sender, type: 'team', ts: event.ts, id: event.id };
      if (event.to !== undefined) frame.to = event.to;
      if (event.cid !== undefined) frame.cid = event.cid;
      if (event.replay) frame.replay = true;
      if (event.duplicate) frame.duplicate = true;
      return frame;
    }
    case 'customer_left':
      return system(notices.customerLeft(event.customer), event.kind, now, {
        customer: event.customer,
        conversationId: event.conversationId,
        ...(event.timeout ? { timeout: true } : {}),
      });
    case 'agent_left':
      return system(notices.agentLeft(event.agent), event.kind, now, {
        agent: event.agent,
        conversationId: event.conversationId,
        ...(event.resolved ? { resolved: true } : {}),
      });
    case 'peer_away':
      return system(notices.peerAway(event.role, event.peer), event.kind, now, {
        peer: event.peer,
        role: event.role,
        graceMs: event.graceMs,
        conversationId: event.conversationId,
      });
    case 'peer_back':
      return system(notices.peerBack(event.role, event.peer), event.kind, now, { peer: event.peer, role: event.role, conversationId: event.conversationId });
    case 'resumed': {
      const extra: Partial<ServerFrame> = { recovered: event.recovered, lastSeq: event.lastSeq };
      if (event.unread !== undefined) extra.unread = event.unread;
      if (event.conversationId !== undefined) extra.conversationId = event.conversationId;
      return system(event.recovered ? notices.resumed : notices.notRecovered, event.kind, now, extra);
    }
    case 'queue_position': {
      const extra: Partial<ServerFrame> = { position: event.position };
      if (event.resume !== undefined) extra.resume = event.resume;
      return system(notices.queuePosition(event.position), event.kind, now, extra);
    }
    case 'queue_timeout':
      return system(notices.queueTimeout, event.kind, now);
    case 'replaced':
      return system(notices.resumed, event.kind, now);
    case 'refused': {
      const frame: ServerFrame = {
        neiRong: FRAME_ERROR_TEXT[event.error],
        shuiFaDe: SYSTEM_SENDER,
        type: 'error',
        error: event.error,
        ts: now,
      };
      if (event.cid !== undefined) frame.cid = event.cid;
      if (event.conversationId !== undefined) frame.conversationId = event.conversationId;
      return frame;
    }
    case 'rated': {
      const extra: Partial<ServerFrame> = { customer: event.customer, conversationId: event.conversationId, score: event.score };
      if (event.comment !== undefined) extra.comment = event.comment;
      return system(notices.rated(event.customer, event.score), event.kind, now, extra);
    }
    case 'dismissed':
      return { neiRong: CLOSE_COMMAND_CONTENT, shuiFaDe: CLOSE_COMMAND_SENDER, type: 'close', ts: now };
  }
}
