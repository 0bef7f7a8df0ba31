// @ts-check
// The widget's first view: the customer's name, the contact button, and why no room came
// (invalid name, no agent, queue full, too many requests, server unreachable), with the
// message form offered when the queue is full and nobody is online.
import { byId, setStatus } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { normalName, validName } from '../lib/names.js';

/** @import { RoomAnswer } from './askForRoom.js' */

export class StartForm {
  /** @type {ReturnType<typeof setInterval> | undefined} while a 429's Retry-After runs */
  #waiting;
  #ui = {
    status: byId('status', HTMLElement),
    form: byId('start', HTMLFormElement),
    name: byId('name', HTMLInputElement),
    error: byId('startError', HTMLElement),
    contact: byId('contact', HTMLButtonElement),
    leaveMessage: byId('startOffline', HTMLButtonElement),
  };

  /**
   * @param {object} page
   * @param {(name: string) => Promise<void>} page.contact asks for a room with this (valid, normalised) name
   * @param {(name: string) => void} page.leaveMessage opens the message form alone
   */
  constructor(page) {
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#waiting !== undefined) return;
      const name = this.#validName();
      if (name === null) return;
      this.#ui.contact.disabled = true;
      void page.contact(name);
    });
    this.#ui.leaveMessage.addEventListener('click', () => {
      const name = this.#validName();
      if (name !== null) page.leaveMessage(name);
    });
  }

  /** The name as the server will know it, or null (and the reason shown) when it would refuse it. */
  #validName() {
    const name = normalName(this.#ui.name.value);
    this.#ui.error.textContent = '';
    if (validName(name)) return name;
    this.#ui.error.textContent = t('nameRequired');
    this.#ui.name.focus();
    return null;
  }

  /** @param {string} name */
  setName(name) {
    this.#ui.name.value = name;
  }

  focusName() {
    this.#ui.name.focus();
  }

  focusLeaveMessage() {
    this.#ui.leaveMessage.focus();
  }

  /** A ticket came: the page connects with it. */
  placed() {
    this.#ui.contact.disabled = false;
    this.#ui.leaveMessage.hidden = true;
  }

  /**
   * /getroom gave no ticket: the reason, and what the customer can do now.
   * @param {Exclude<RoomAnswer, { kind: 'ticket' }>} answer
   */
  refused(answer) {
    const ui = this.#ui;
    ui.contact.disabled = false;
    switch (answer.kind) {
      case 'no_room':
        this.noRoom(answer.full, answer.agentsOnline);
        return;
      case 'rate_limited':
        setStatus(ui.status, t('stateIdle'), 'idle');
        this.#waitOut(answer.retryAfterS);
        return;
      case 'identity':
        setStatus(ui.status, t('stateIdle'), 'idle');
        ui.error.textContent = t('identityRefused');
        return;
      case 'bad_name':
      case 'failed':
        setStatus(ui.status, t('stateIdle'), 'idle');
        ui.error.textContent = answer.kind === 'bad_name' ? t('nameRequired') : t('stateUnreachable');
        return;
      case 'unreachable':
        ui.error.textContent = t('stateUnreachable');
        setStatus(ui.status, t('stateUnreachable'), 'error');
    }
  }

  /**
   * No room now: no agent free and the queue full (`full`), or no agent at all. With nobody
   * online and the queue full, the message form is the way left.
   * @param {boolean} full
   * @param {number | null} agentsOnline
   */
  noRoom(full, agentsOnline) {
    const ui = this.#ui;
    ui.contact.disabled = false;
    ui.leaveMessage.hidden = agentsOnline !== 0;
    setStatus(ui.status, t('stateIdle'), 'idle');
    ui.error.textContent = full ? t('queueFull') : t('noAgent');
    ui.contact.textContent = t('tryAgain');
    ui.contact.focus();
  }

  /**
   * Too many requests: the contact button waits out the server's Retry-After, counting down,
   * so the page never asks again sooner.
   * @param {number} seconds
   */
  #waitOut(seconds) {
    const ui = this.#ui;
    let left = seconds;
    ui.contact.disabled = true;
    ui.error.textContent = t('rateLimited', left);
    clearInterval(this.#waiting);
    this.#waiting = setInterval(() => {
      left--;
      if (left > 0) {
        ui.error.textContent = t('rateLimited', left);
        return;
      }
      clearInterval(this.#waiting);
      this.#waiting = undefined;
      ui.error.textContent = '';
      ui.contact.disabled = false;
      ui.contact.textContent = t('tryAgain');
    }, 1000);
  }

  /**
   * Back to the form for a new chat, with the last name filled in.
   * @param {string} name
   */
  again(name) {
    const ui = this.#ui;
    ui.leaveMessage.hidden = true;
    setStatus(ui.status, t('stateIdle'), 'idle');
    ui.contact.textContent = t('contact');
    ui.name.value = name || ui.name.value;
    ui.name.focus();
  }
}
