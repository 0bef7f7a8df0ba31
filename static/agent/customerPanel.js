// @ts-check
// Who the console serves, where the agent looks for it: the conversation's header bar and the
// sidebar's customer card (name, avatar, since when, how long they waited), or "waiting for a
// customer" when the room is empty.
import { paintAvatar } from '../lib/avatars.js';
import { byId } from '../lib/dom.js';
import { duration } from '../lib/format.js';
import { t } from '../lib/i18n.js';

/**
 * The customer in the room, as customer_entered described them.
 * @typedef {object} Customer
 * @property {string} name
 * @property {string} avatar their avatar id, '' for one drawn from the name
 * @property {number | null} waitedMs how long they waited to be seated, when the server said
 * @property {string} since the clock time the conversation started
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
    none: byId('noCustomer', HTMLElement),
    requeue: byId('requeue', HTMLButtonElement),
  };

  /** @param {Customer | null} customer */
  show(customer) {
    const ui = this.#ui;
    ui.peer.textContent = customer ? customer.name : t('waitingShort');
    ui.peerState.textContent = customer ? t('inConversation', customer.since) : t('noCustomer');
    paintAvatar(ui.peerAvatar, customer ? customer.name : '', customer ? customer.avatar : '');
    ui.peerAvatar.classList.toggle('placeholder', !customer);
    ui.card.hidden = !customer;
    ui.requeue.hidden = !customer;
    ui.requeue.disabled = false;
    ui.none.hidden = !!customer;
    if (!customer) return;
    ui.name.textContent = customer.name;
    paintAvatar(ui.avatar, customer.name, customer.avatar);
    ui.since.textContent = t('since', customer.since);
    const w = customer.waitedMs;
    ui.waited.textContent = w === null ? '' : w < 1000 ? t('waitedNone') : t('waited', duration(w));
  }

  /** The customer dropped and has a while to come back. */
  showAway() {
    this.#ui.peerState.textContent = t('statePeerAway');
  }
}
