// @ts-check
// The message field: Enter sends, the emoji palette, and typing frames for the other side.
import { button } from './dom.js';

/** A typing frame at most this often (the server relays one a second). */
const TYPING_EVERY_MS = 2000;

const EMOJI = ['😀', '😂', '😊', '😍', '🤔', '😢', '😡', '👍', '👎', '🙏', '👏', '🎉', '❤️', '🔥', '✅', '❓'];

/**
 * Enter sends, Shift+Enter is a newline; IME composition (Chinese input) is left alone.
 * @param {HTMLTextAreaElement} textarea
 * @param {() => void} onSend
 */
export function bindEnterToSend(textarea, onSend) {
  textarea.addEventListener('keydown', (e) => {
    // keyCode 229 is a key the IME took, on browsers that do not set isComposing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      onSend();
    }
  });
}

/**
 * A small emoji palette that inserts at the caret; Escape or a click elsewhere closes it.
 * @param {HTMLButtonElement} toggle
 * @param {HTMLElement} panel
 * @param {HTMLTextAreaElement} textarea
 */
export function bindEmoji(toggle, panel, textarea) {
  const close = () => {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  for (const em of EMOJI) {
    const b = button('emoji', em);
    b.setAttribute('aria-label', em);
    b.addEventListener('click', () => {
      const start = textarea.selectionStart || 0;
      const end = textarea.selectionEnd || 0;
      textarea.value = textarea.value.slice(0, start) + em + textarea.value.slice(end);
      textarea.selectionStart = textarea.selectionEnd = start + em.length;
      close();
      textarea.focus();
    });
    panel.appendChild(b);
  }
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    const first = panel.firstElementChild;
    if (!panel.hidden && first instanceof HTMLElement) first.focus();
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      close();
      toggle.focus();
    }
  });
  document.addEventListener('click', (e) => {
    if (!panel.hidden && e.target instanceof Node && !panel.contains(e.target) && e.target !== toggle) close();
  });
}

/**
 * Sends a typing frame while the person types: at most one every 2 s (per conversation, where
 * one field serves several: `conversation` names the one in view), never for an empty field.
 * @param {HTMLTextAreaElement} textarea
 * @param {() => boolean} canSend
 * @param {(frame: { type: 'typing' }) => void} send
 * @param {() => string} [conversation]
 */
export function bindTyping(textarea, canSend, send, conversation = () => '') {
  /** @type {Map<string, number>} when the last frame went, by conversation */
  const last = new Map();
  textarea.addEventListener('input', () => {
    const now = Date.now();
    const key = conversation();
    if (!textarea.value.trim() || now - (last.get(key) ?? 0) < TYPING_EVERY_MS || !canSend()) return;
    last.set(key, now);
    send({ type: 'typing' });
  });
}
