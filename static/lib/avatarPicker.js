// @ts-check
// The avatar choice on a sign-in form: radio buttons (keyboard and screen reader friendly) for
// "from my name" and each of the built-in set, remembered in this browser.
import { AVATAR_IDS, isAvatarId, paintAvatar } from './avatars.js';
import { el } from './dom.js';
import { t } from './i18n.js';

/**
 * Fills `container` with the choices, remembered under `storageKey`; the "from my name" face
 * follows what is typed into `nameInput`. Returns a function giving the chosen id, or '' for none.
 * @param {HTMLElement} container
 * @param {string} storageKey
 * @param {HTMLInputElement} nameInput
 * @returns {() => string}
 */
export function bindAvatarPicker(container, storageKey, nameInput) {
  let saved = '';
  try {
    saved = localStorage.getItem(storageKey) || '';
  } catch {
    /* storage may be off: the choice just is not remembered */
  }
  if (!isAvatarId(saved)) saved = '';
  /** @type {HTMLInputElement[]} */
  const radios = [];

  /**
   * @param {string} id
   * @param {string} label
   */
  function option(id, label) {
    const wrap = el('label', 'avatar-option');
    const input = el('input');
    input.type = 'radio';
    input.name = storageKey;
    input.value = id;
    input.checked = id === saved;
    input.setAttribute('aria-label', label);
    const face = el('span', 'avatar');
    face.setAttribute('aria-hidden', 'true');
    wrap.append(input, face);
    container.appendChild(wrap);
    radios.push(input);
    return face;
  }

  const initials = option('', t('avatarFromName'));
  for (const id of AVATAR_IDS) paintAvatar(option(id, t(`avatarName_${id}`)), '', id);
  const paintInitials = () => paintAvatar(initials, nameInput.value.trim() || '?');
  nameInput.addEventListener('input', paintInitials);
  paintInitials();

  const chosen = () => radios.find((r) => r.checked)?.value ?? '';
  container.addEventListener('change', () => {
    try {
      localStorage.setItem(storageKey, chosen());
    } catch {
      /* not remembered */
    }
  });
  return chosen;
}
