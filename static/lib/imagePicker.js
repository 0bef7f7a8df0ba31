// @ts-check
// Every way a person hands the page an image (the attach button, pasting into the message field,
// dropping files on the conversation), and sending one as a person expects: checked here,
// uploaded with the page's own token, then sent as an image message shown pending until its ack.
import { t } from './i18n.js';
import { checkImage, loadImageLimits, uploadImage } from './images.js';
import { newCid } from './outbox.js';

/** @import { Outbox } from './outbox.js' */
/** @import { PassingText } from './passingText.js' */

/**
 * Uploads go one after another, in the order the files were given: the server lets a
 * conversation have only a couple in progress at once (and they share the line anyway).
 * @type {Promise<unknown>}
 */
let uploads = Promise.resolve();

/**
 * @param {File} file
 * @param {{ url: string, token: string, sender: string }} to where to upload (the URL names the conversation for an agent), with which token, and whose message it is
 * @param {PassingText} notice where problems show
 * @param {Outbox} outbox
 */
export async function sendImage(file, to, notice, outbox) {
  const problem = checkImage(file);
  if (problem) {
    notice.show(problem);
    return;
  }
  notice.show(t('imageUploading'));
  const upload = uploads.then(() => uploadImage(file, to.url, to.token));
  uploads = upload;
  const res = await upload;
  if ('error' in res) {
    notice.show(res.error);
    return;
  }
  notice.hide();
  outbox.send(to.sender, t('imageMessage'), { type: 'image', image: res.id, cid: newCid() });
}

/**
 * @param {DragEvent} e
 */
const hasFiles = (e) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Calls `onFile` for each image the person picks, pastes or drops.
 * @param {{ button: HTMLButtonElement, input: HTMLInputElement, textarea: HTMLTextAreaElement, dropZone: HTMLElement }} ui
 * @param {(file: File) => void} onFile
 */
export function bindImagePicker(ui, onFile) {
  loadImageLimits();
  const { button, input, textarea, dropZone } = ui;
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    Array.from(input.files ?? []).forEach(onFile);
    input.value = '';
  });
  textarea.addEventListener('paste', (e) => {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (!files.length) return;
    // A pasted picture is sent as a picture, not as its file name in the text.
    e.preventDefault();
    files.forEach(onFile);
  });
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left.
  let depth = 0;
  dropZone.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) dropZone.classList.remove('dragging');
  });
  dropZone.addEventListener('dragover', (e) => {
    if (!hasFiles(e) || !e.dataTransfer) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  dropZone.addEventListener('drop', (e) => {
    depth = 0;
    dropZone.classList.remove('dragging');
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (!files.length) return;
    e.preventDefault();
    files.forEach(onFile);
  });
}
