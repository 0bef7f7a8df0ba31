// @ts-check
// The widget's first view: the customer's name and the pre-chat form's other fields (PRECHAT_FIELDS:
// e-mail, first question), the contact button, and why no room came (invalid name, no agent,
// queue full, closed, too many requests, server unreachable), with the message form offered when
// the queue is full and nobody is online, or outside business hours.
import { byId, setStatus } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { normalName, validName } from '../lib/names.js';
import { HoursCard } from './hoursCard.js';
import { widgetSettings } from './widgetSettings.js';

/** @import { RoomAnswer } from './askForRoom.js' */
/** @import { PrechatField, WidgetSettings } from './widgetSettings.js' */

/**
 * What the pre-chat form asked besides the name (absent: not asked, or left empty).
 * @typedef {{ email?: string, question?: string }} PrechatDetails
 */

/** As loose as the server's check (protocol/accountInput.ts): one @, a dot after it, nothing invisible. */
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
/** The longest first question: a message's limit (MAX_MESSAGE_CHARS' default). */
const MAX_QUESTION_CHARS = 2000;

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
    emailField: byId('prechatEmailField', HTMLElement),
    emailLabel: byId('prechatEmailLabel', HTMLElement),
    email: byId('prechatEmail', HTMLInputElement),
    emailError: byId('prechatEmailError', HTMLElement),
    questionField: byId('prechatQuestionField', HTMLElement),
    questionLabel: byId('prechatQuestionLabel', HTMLElement),
    question: byId('prechatQuestion', HTMLTextAreaElement),
    questionError: byId('prechatQuestionError', HTMLElement),
  };
  /** @type {{ email: PrechatField, question: PrechatField }} */
  #prechat = { email: 'off', question: 'off' };
  #hours = new HoursCard();
  /** Outside business hours: the message form instead of a place in the queue. */
  #closed = false;

  /**
   * @param {object} page
   * @param {(name: string, details: PrechatDetails) => Promise<void>} page.contact asks for a room with this (valid, normalised) name
   * @param {(name: string) => void} page.leaveMessage opens the message form alone
   */
  constructor(page) {
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#waiting !== undefined) return;
      const name = this.#validName();
      if (name === null) return;
      const details = this.#details();
      if (details === null) return;
      this.#ui.contact.disabled = true;
      void page.contact(name, details);
    });
    void widgetSettings().then((s) => this.#configure(s));
    this.#ui.leaveMessage.addEventListener('click', () => {
      const name = this.#validName();
      if (name !== null) page.leaveMessage(name);
    });
  }

  /** @param {WidgetSettings} settings */
  #configure(settings) {
    const ui = this.#ui;
    this.#prechat = settings.prechat;
    ui.emailField.hidden = settings.prechat.email === 'off';
    ui.email.required = settings.prechat.email === 'required';
    ui.emailLabel.textContent = t(settings.prechat.email === 'required' ? 'prechatEmail' : 'prechatEmailOptional');
    ui.questionField.hidden = settings.prechat.question === 'off';
    ui.question.required = settings.prechat.question === 'required';
    ui.questionLabel.textContent = t(settings.prechat.question === 'required' ? 'prechatQuestion' : 'prechatQuestionOptional');
    if (settings.hours !== null && !settings.hours.open) this.closed(settings.hours);
  }

  /**
   * The team is closed: its hours, and the message form in place of the contact button.
   * @param {import('./widgetSettings.js').Hours} hours
   */
  closed(hours) {
    const ui = this.#ui;
    this.#closed = true;
    this.#hours.show(hours);
    ui.contact.hidden = true;
    ui.contact.disabled = false;
    ui.leaveMessage.hidden = false;
    ui.leaveMessage.classList.replace('ghost', 'primary');
    setStatus(ui.status, t('hoursClosedTitle'), 'idle');
  }

  /**
   * The e-mail and question as given, or null (and the reason shown by its field) when one is
   * required and missing, or the e-mail is not one.
   * @returns {PrechatDetails | null}
   */
  #details() {
    const ui = this.#ui;
    /** @type {PrechatDetails} */
    const details = {};
    /** @type {Array<[HTMLInputElement | HTMLTextAreaElement, HTMLElement, string]>} */
    const problems = [];
    for (const [input, error] of /** @type {const} */ ([
      [ui.email, ui.emailError],
      [ui.question, ui.questionError],
    ])) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    const email = ui.email.value.trim();
    if (this.#prechat.email !== 'off') {
      if (email === '' && this.#prechat.email === 'required') problems.push([ui.email, ui.emailError, t('prechatEmailRequired')]);
      else if (email !== '' && (email.length > 254 || !EMAIL.test(email))) problems.push([ui.email, ui.emailError, t('prechatEmailInvalid')]);
      else if (email !== '') details.email = email;
    }
    const question = ui.question.value.trim();
    if (this.#prechat.question !== 'off') {
      if (question === '' && this.#prechat.question === 'required') problems.push([ui.question, ui.questionError, t('prechatQuestionRequired')]);
      else if ([...question].length > MAX_QUESTION_CHARS) problems.push([ui.question, ui.questionError, t('prechatQuestionTooLong', MAX_QUESTION_CHARS)]);
      else if (question !== '') details.question = question;
    }
    for (const [input, error, text] of problems) {
      error.textContent = text;
      input.setAttribute('aria-invalid', 'true');
    }
    problems[0]?.[0].focus();
    return problems.length === 0 ? details : null;
  }

  /** The pre-chat e-mail, when given: a message left while closed is answered there. */
  get email() {
    return this.#ui.email.value.trim();
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
      case 'closed':
        this.closed({ timeZone: '', open: false, opensAt: answer.opensAt, periods: [] });
        void widgetSettings().then((s) => s.hours && this.#hours.show({ ...s.hours, open: false, opensAt: answer.opensAt }));
        return;
      case 'bad_email':
        setStatus(ui.status, t('stateIdle'), 'idle');
        ui.emailError.textContent = t('prechatEmailInvalid');
        ui.email.setAttribute('aria-invalid', 'true');
        ui.email.focus();
        return;
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
    ui.leaveMessage.hidden = !this.#closed;
    setStatus(ui.status, t('stateIdle'), 'idle');
    ui.contact.textContent = t('contact');
    ui.name.value = name || ui.name.value;
    ui.name.focus();
  }
}
