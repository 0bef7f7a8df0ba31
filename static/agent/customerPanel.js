// @ts-check
// Who the conversation in view is with, where the agent looks for it: the thread's header bar
// (with resolve and hand-back while it goes on) and the panel's customer card (name, avatar,
// since when, how long they waited, their previous conversations), or "waiting for a customer"
// when no conversation is in view.
import { paintAvatar } from '../lib/avatars.js';
import { byId } from '../lib/dom.js';
import { duration } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { PreviousConversations } from './previousConversations.js';

/** @import { ConversationThread } from './conversationThread.js' */

/**
 * The customer of a conversation, as customer_entered (or the inbox frame) described them.
 * @typedef {object} Customer
 * @property {string} name
 * @property {string} avatar their avatar id, '' for one drawn from the name
 * @property {number | null} waitedMs how long they waited to be seated, when the server said
 * @property {string} since the clock time the conversation started
 * @property {string} email their e-mail address, '' when none is known
 * @property {boolean} verified the embedding site signed their identity (name and e-mail)
 */

export class CustomerPanel {
  #ui = {
    peer: byId('peer', HTMLElement),
    peerState: byId('peerState', HTMLElement),
    peerAvatar: byId('peerAvatar', HTMLElement),
    card: byId('customerCard', HTMLElement),
    name: byId('customerName', HTMLElement),
    avatar: byId('customerAvatar', HTMLElement),
    since: byId('customerSince', HTMLElement),
    waited: byId('customerWaited', HTMLElement),
    email: byId('customerEmail', HTMLElement),
    verified: byId('customerVerified', HTMLElement),
    none: byId('noCustomer', HTMLElement),
    requeue: byId('requeue', HTMLButtonElement),
    resolve: byId('resolve', HTMLButtonElement),
  };
  previous = new PreviousConversations();

  /** @param {ConversationThread | null} thread the conversation in view, open or ended */
  show(thread) {
    const ui = this.#ui;
    const customer = thread?.customer ?? null;
    const open = !!thread && !thread.ended;
    ui.peer.textContent = customer ? customer.name : t('waitingShort');
    ui.peerState.textContent = !customer
      ? t('noCustomer')
      : thread?.ended
        ? t('conversationEnded')
        : thread?.away
          ? t('statePeerAway')
          : t('inConversation', customer.since);
    paintAvatar(ui.peerAvatar, customer ? customer.name : '', customer ? customer.avatar : '');
    ui.peerAvatar.classList.toggle('placeholder', !customer);
    ui.requeue.hidden = !open;
    ui.requeue.disabled = false;
    ui.resolve.hidden = !open;
    ui.card.hidden = !open;
    ui.none.hidden = open;
    if (!open || !customer) {
      void this.previous.show('', null);
      return;
    }
    ui.name.textContent = customer.name;
    // Only a signature is a claim: a typed name or e-mail is shown as the visitor's own word.
    ui.verified.hidden = !customer.verified;
    ui.email.hidden = customer.email === '';
    ui.email.textContent = customer.email === '' ? '' : customer.verified ? customer.email : t('emailUnverified', customer.email);
    paintAvatar(ui.avatar, customer.name, customer.avatar);
    ui.since.textContent = t('since', customer.since);
    const w = customer.waitedMs;
    ui.waited.textContent = w === null ? '' : w < 1000 ? t('waitedNone') : t('waited', duration(w));
    void this.previous.show(thread?.visitorId ?? '', thread?.id ?? null);
  }
}
