// @ts-check
// What the widget shows around the conversation: the header (who serves, what is going on) and
// the one panel under the messages (composer, queue card, message form or ended card). The page
// decides when; this module knows how.
import { paintAvatar } from '../lib/avatars.js';
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** @import { OfflineForm } from './offlineForm.js' */
/** @import { Rating } from './rating.js' */

/**
 * What sits under the conversation: one place decides, so two never show at once.
 * @typedef {'composer' | 'queue' | 'ended' | 'offline'} Bottom
 */

export class ChatView {
  ui = {
    startView: byId('startView', HTMLElement),
    chat: byId('chat', HTMLElement),
    peer: byId('peer', HTMLElement),
    peerState: byId('peerState', HTMLElement),
    peerAvatar: byId('peerAvatar', HTMLElement),
    queueCard: byId('queueCard', HTMLElement),
    queueAhead: byId('queueAhead', HTMLElement),
    queueHint: byId('queueHint', HTMLElement),
    offlineOpen: byId('offlineOpen', HTMLButtonElement),
    ended: byId('ended', HTMLElement),
    endedText: byId('endedText', HTMLElement),
    again: byId('again', HTMLButtonElement),
    composer: byId('composer', HTMLFormElement),
    input: byId('input', HTMLTextAreaElement),
    send: byId('send', HTMLButtonElement),
    attach: byId('attachButton', HTMLButtonElement),
    leave: byId('leave', HTMLButtonElement),
    reconnectNow: byId('reconnectNow', HTMLButtonElement),
  };
  /** The place in the queue last told (shown with who is online). */
  #position = 1;

  /**
   * @param {OfflineForm} offline
   * @param {Rating} rating
   * @param {object} page
   * @param {() => boolean} page.queued waiting in the queue (the composer makes room for the message form)
   * @param {() => boolean} page.nobodyOnline no agent online: the queue card offers the message form
   */
  constructor(offline, rating, page) {
    this.offline = offline;
    this.rating = rating;
    this.page = page;
  }

  /** @param {boolean} on the conversation, or (false) the start form */
  showChat(on) {
    this.ui.startView.hidden = on;
    this.ui.chat.hidden = !on;
  }

  /** @param {boolean} enabled */
  setComposer(enabled) {
    this.ui.input.disabled = !enabled;
    this.ui.send.disabled = !enabled;
    this.ui.attach.disabled = !enabled;
  }

  /** @param {Bottom} which */
  bottom(which) {
    const ui = this.ui;
    // While queued the composer stays: the customer can ask the bot meanwhile.
    ui.composer.hidden = which !== 'composer' && which !== 'queue';
    if (which !== 'queue' && which !== 'offline') this.showOfflineForm(false);
    ui.queueCard.hidden = which !== 'queue';
    ui.ended.hidden = which !== 'ended';
    ui.leave.hidden = which === 'ended' || which === 'offline';
    ui.leave.textContent = t(which === 'queue' ? 'cancelQueue' : 'endChat');
    if (which !== 'ended') this.rating.reset();
  }

  /**
   * The header: who is on the other side (or the widget's title) and what is going on.
   * @param {string} name
   * @param {string} doing
   * @param {{ avatar?: string } | null} agent the agent serving, or null (the title shows, no face)
   */
  peer(name, doing, agent) {
    const ui = this.ui;
    ui.peer.textContent = name;
    ui.peerState.textContent = doing;
    paintAvatar(ui.peerAvatar, agent ? name : '', agent ? agent.avatar : '');
    ui.peerAvatar.classList.toggle('placeholder', !agent);
  }

  /**
   * The queue card's count.
   * @param {number} position
   */
  queuePlace(position) {
    this.#position = position;
    this.showAgentsOnline();
  }

  /**
   * The queue card: the place, and whether anyone is online. With nobody online the card does not
   * say "you are next" (nobody is there to take the next): it says that nobody is, and offers the
   * message form.
   */
  showAgentsOnline() {
    const nobody = this.page.nobodyOnline();
    const ahead = Math.max(0, this.#position - 1);
    this.ui.queueAhead.textContent = nobody ? t('queueWhenOnline') : ahead > 0 ? t('queueAhead', ahead) : t('queueNext');
    this.ui.queueHint.textContent = t(nobody ? 'noAgentOnline' : 'queueHint');
    this.ui.offlineOpen.hidden = !nobody || this.offline.isOpen;
  }

  /**
   * The "reconnect now" button, next to the countdown while the connection is coming back.
   * @param {boolean} on
   */
  reconnecting(on) {
    this.ui.reconnectNow.hidden = !on;
  }

  /** @param {boolean} on */
  showOfflineForm(on) {
    this.offline.show(on);
    // On a phone the form and the composer do not both fit: writing the message is the task now.
    if (this.page.queued()) this.ui.composer.hidden = on;
    this.ui.offlineOpen.hidden = on || !this.page.nobodyOnline();
  }

  /**
   * The ended card, with why.
   * @param {string} text
   */
  ended(text) {
    this.setComposer(false);
    this.ui.endedText.textContent = text;
    this.bottom('ended');
  }
}
