// @ts-check
// Leaving a message when no agent is online: contact and text, sent over HTTP. The server
// checks everything again and says what is wrong, shown by the field it is about.
import { byId } from '../lib/dom.js';
import { hasText, t } from '../lib/i18n.js';
import { requestJson } from '../lib/http.js';

/** The message form: shown by the page, sent by itself, its errors by the field they are about. */
export class OfflineForm {
  #ui = {
    form: byId('offlineForm', HTMLFormElement),
    open: byId('offlineOpen', HTMLButtonElement),
    contact: byId('offlineContact', HTMLInputElement),
    text: byId('offlineText', HTMLTextAreaElement),
    error: byId('offlineError', HTMLElement),
    send: byId('offlineSend', HTMLButtonElement),
  };

  /**
   * @param {object} page
   * @param {() => string} page.name who leaves the message
   * @param {(contact: string) => void} page.sent the message was taken
   */
  constructor(page) {
    this.page = page;
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#send();
    });
  }

  /**
   * Fills in the contact field when it is still empty (the pre-chat form's e-mail).
   * @param {string} contact
   */
  prefill(contact) {
    if (contact && !this.#ui.contact.value) this.#ui.contact.value = contact;
  }

  get isOpen() {
    return !this.#ui.form.hidden;
  }

  /** @param {boolean} on */
  show(on) {
    this.#ui.form.hidden = !on;
    this.#ui.open.setAttribute('aria-expanded', String(on));
    if (on) {
      this.#ui.error.textContent = '';
      this.#ui.contact.focus();
    }
  }

  async #send() {
    const ui = this.#ui;
    const contact = ui.contact.value.trim();
    const text = ui.text.value;
    ui.error.textContent = '';
    ui.contact.removeAttribute('aria-invalid');
    ui.text.removeAttribute('aria-invalid');
    if (!contact) return this.#failed(t('offlineContactRequired'), ui.contact);
    if (!text.trim()) return this.#failed(t('offlineTextRequired'), ui.text);
    ui.send.disabled = true;
    ui.send.textContent = t('offlineSending');
    try {
      const { status, body } = await requestJson('/api/offline-messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: this.page.name(), contact, content: text }),
      });
      ui.send.disabled = false;
      ui.send.textContent = t('offlineSend');
      if (status === 201) {
        ui.text.value = '';
        this.page.sent(contact);
        return;
      }
      const code = String(body?.error);
      const known = `offlineErrors.${code}`;
      this.#failed(hasText(known) ? t(known) : t('offlineFailed'), code === 'bad_contact' ? ui.contact : ui.text);
    } catch {
      ui.send.disabled = false;
      ui.send.textContent = t('offlineSend');
      this.#failed(t('offlineFailed'), ui.text);
    }
  }

  /**
   * @param {string} text
   * @param {HTMLInputElement | HTMLTextAreaElement} field
   */
  #failed(text, field) {
    this.#ui.error.textContent = text;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}
