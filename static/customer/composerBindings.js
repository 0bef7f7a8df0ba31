// @ts-check
// The customer's composer: text on Enter or the send button, typing notices, emoji, and images
// (attach, paste, drop). When each may be used is the page's to say.
import { bindEmoji, bindEnterToSend, bindTyping } from '../lib/composer.js';
import { byId } from '../lib/dom.js';
import { bindImagePicker, sendImage } from '../lib/imagePicker.js';

/** @import { ChatView } from './chatView.js' */
/** @import { Outbox } from '../lib/outbox.js' */
/** @import { PassingText } from '../lib/passingText.js' */
/** @import { ConversationSocket } from './tabLink.js' */

/**
 * @typedef {object} ComposerHooks
 * @property {ChatView['ui']} ui
 * @property {Outbox} outbox
 * @property {PassingText} notice where an image's refusal is said
 * @property {() => string} sender the customer's name
 * @property {() => boolean} canWrite a message may be written now (placed, queued, or reconnecting: the outbox holds it)
 * @property {() => string | null} uploadToken the resume token while seated (an image goes into the conversation), else null
 * @property {() => ConversationSocket | null} typingSocket where typing notices go while seated and connected, else null
 */

/** @param {ComposerHooks} c */
export function bindComposer(c) {
  const { ui, outbox } = c;
  const sendMessage = () => {
    const text = ui.input.value;
    if (!text.trim() || !c.canWrite() || ui.input.disabled) return;
    outbox.sendText(c.sender(), text);
    ui.input.value = '';
    ui.input.focus();
  };
  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    sendMessage();
  });
  bindEnterToSend(ui.input, sendMessage);
  bindTyping(
    ui.input,
    () => c.typingSocket() !== null,
    (frame) => c.typingSocket()?.send(frame),
  );
  bindEmoji(byId('emojiButton', HTMLButtonElement), byId('emojiPanel', HTMLElement), ui.input);
  bindImagePicker(
    { button: ui.attach, input: byId('fileInput', HTMLInputElement), textarea: ui.input, dropZone: byId('conversation', HTMLElement) },
    (file) => {
      const token = c.uploadToken();
      if (!token || ui.input.disabled) return;
      void sendImage(file, { url: '/api/images', token, sender: c.sender() }, c.notice, outbox);
    },
  );
}
