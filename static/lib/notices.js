// @ts-check
// System frames as the pages read them: the line a notice shows, in the page's language, and who
// a notice is about. Lines are written from the frame's event and fields; the frame's own text
// (neiRong) is the server's Chinese wording for seed clients, shown only for an event this table
// does not know yet, or a frame from a server too old to carry the fields.
import { t } from './i18n.js';

/** @import { ServerFrame } from './frames.js' */

/**
 * The agent a notice is about (`agent`; `peer` on peer_away/peer_back). A frame that names
 * nobody (from a server older than these fields) gets `fallback`, or a neutral "agent".
 * @param {ServerFrame} f
 * @param {string | null} [fallback]
 */
export function agentOf(f, fallback) {
  return f.agent ?? f.peer ?? (fallback || t('someAgent'));
}

/**
 * The customer a notice is about (`customer`; `peer` on peer_away/peer_back), or a neutral
 * "customer" for a frame that names nobody.
 * @param {ServerFrame} f
 * @param {string | null} [fallback]
 */
export function customerOf(f, fallback) {
  return f.customer ?? f.peer ?? (fallback || t('someCustomer'));
}

/**
 * A system event's line from its fields, or null when the event is unknown here or a field it
 * needs is missing.
 * @param {ServerFrame} f
 * @returns {string | null}
 */
function systemLine(f) {
  const { agent, customer, peer, position } = f;
  switch (f.event) {
    case 'room_opened':
      return agent === undefined ? null : t('notices.roomOpened', agent);
    case 'agent_assigned':
      return agent === undefined ? null : t('notices.agentAssigned', agent);
    case 'customer_entered':
      if (customer === undefined) return null;
      return f.transferredFrom
        ? `${t('notices.customerEntered', customer)} · ${t('transferredFrom', f.transferredFrom)}`
        : t('notices.customerEntered', customer);
    case 'customer_left':
      return customer === undefined ? null : t('notices.customerLeft', customer);
    case 'agent_left':
      return agent === undefined ? null : t(f.resolved ? 'notices.agentResolved' : 'notices.agentLeft', agent);
    case 'peer_away':
      return peer === undefined ? null : t(f.role === 'kefu' ? 'notices.agentAway' : 'notices.customerAway', peer);
    case 'peer_back':
      return peer === undefined ? null : t(f.role === 'kefu' ? 'notices.agentBack' : 'notices.customerBack', peer);
    case 'resumed':
    case 'replaced':
      return t(f.recovered === false ? 'notices.notRecovered' : 'notices.resumed');
    case 'queue_position':
      return position === undefined ? null : t('notices.queuePosition', position);
    case 'queue_timeout':
      return t('notices.queueTimeout');
    case 'customer_requeued':
      return customer === undefined ? null : t('notices.customerRequeued', customer);
    case 'requeued':
      return agent === undefined || position === undefined ? null : t('notices.requeued', agent, position);
    case 'customer_transferred':
      return customer === undefined || f.transferredTo === undefined ? null : t('notices.customerTransferred', customer, f.transferredTo);
    case 'rated': {
      if (customer === undefined || f.score === undefined) return null;
      const line = t('notices.rated', customer, f.score);
      return typeof f.comment === 'string' ? t('ratedNotice', line, f.comment) : line;
    }
    case 'conversation_resolved':
      return customer === undefined ? null : t('notices.conversationResolved', customer);
    case 'status':
      return f.status === 'online' ? t('notices.statusOnline') : f.status === 'away' ? t('notices.statusAway') : null;
    default:
      return null;
  }
}

/**
 * The FAQ bot's line: a matched answer is the FAQ's own text (the server picked the FAQ of the
 * customer's language); the fallback is framed here, saying why nobody answers yet.
 * @param {ServerFrame} f a `bot` frame
 */
export function botLine(f) {
  if (f.matched !== false) return f.neiRong;
  if (f.agentsOnline === 0) return t('notices.botNoAgent');
  if (f.fallback === undefined) return f.neiRong;
  return f.position === undefined ? f.fallback : t('notices.botQueued', f.fallback, f.position);
}

/**
 * Why the server refused a frame, by its error code (its text for a code this table lacks).
 * @param {ServerFrame} f an `error` frame
 */
export function errorLine(f) {
  const key = `frameErrors.${f.error ?? ''}`;
  const text = t(key);
  return text === key ? f.neiRong : text;
}

/**
 * The line a notice shows (a system frame, the bot history and offline-message summaries, a
 * refusal, the bot's answer), in the page's language.
 * @param {ServerFrame} f
 */
export function noticeLine(f) {
  switch (f.type) {
    case 'system':
      return systemLine(f) ?? f.neiRong;
    case 'bot':
      return botLine(f);
    case 'error':
      return errorLine(f);
    case 'bot_history':
      return t('notices.botHistory', customerOf(f), f.botExchanges?.length ?? 0);
    case 'offline_messages': {
      const list = f.offlineMessages ?? [];
      const first = list[0];
      return f.live && first ? t('notices.newOfflineMessage', first.name) : t('notices.offlineMessages', list.length);
    }
    default:
      return f.neiRong;
  }
}
