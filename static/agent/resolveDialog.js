// @ts-check
// Resolving a conversation asks first: a modal dialog (the native <dialog>: focus moves into it,
// Escape cancels) naming the customer; focus comes back to the button that opened it. Tab and
// Shift+Tab go round its two buttons: the browser alone would let them leave for its own bar.
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export class ResolveDialog {
  #ui = {
    dialog: byId('resolveDialog', HTMLDialogElement),
    title: byId('resolveDialogTitle', HTMLElement),
    confirm: byId('resolveConfirm', HTMLButtonElement),
    cancel: byId('resolveCancel', HTMLButtonElement),
  };
  /** @type {(() => void) | null} */
  #onConfirm = null;
  /** @type {HTMLElement | null} */
  #opener = null;

  constructor() {
    const ui = this.#ui;
    ui.cancel.addEventListener('click', () => ui.dialog.close('cancel'));
    ui.confirm.addEventListener('click', () => ui.dialog.close('confirm'));
    ui.dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const [first, last] = [ui.cancel, ui.confirm];
      if (e.shiftKey ? document.activeElement === first : document.activeElement === last) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    });
    ui.dialog.addEventListener('close', () => {
      // The close event comes a task later: Escape then Enter at once opens the dialog again
      // before it arrives, and that new question must keep its answer.
      if (ui.dialog.open) return;
      const go = ui.dialog.returnValue === 'confirm' ? this.#onConfirm : null;
      this.#onConfirm = null;
      this.#opener?.focus();
      go?.();
    });
  }

  /**
   * Asks whether to end the conversation with `customer`; `onConfirm` runs only on yes.
   * @param {string} customer
   * @param {HTMLElement} opener
   * @param {() => void} onConfirm
   */
  ask(customer, opener, onConfirm) {
    const ui = this.#ui;
    ui.title.textContent = t('resolveConfirmTitle', customer);
    ui.dialog.returnValue = '';
    this.#onConfirm = onConfirm;
    this.#opener = opener;
    ui.dialog.showModal();
    // The safe answer has the focus: Enter on an unread dialog does not end a chat.
    ui.cancel.focus();
  }

  /** The conversation ended meanwhile: nothing left to confirm. */
  dismiss() {
    if (this.#ui.dialog.open) this.#ui.dialog.close('cancel');
  }
}
