// @ts-check
// The console's three parts: the conversation list, the thread, and the panel (the customer and
// the team's tools). On a desk they stand side by side; on a narrow screen one shows at a time,
// chosen from the bar at the top or with the back buttons, so every tool stays a tap away.
import { byId } from '../lib/dom.js';

/** @typedef {'list' | 'thread' | 'panel'} View */

/** Side by side from this width; one view at a time below it (style.css says the same). */
const NARROW = '(max-width: 899px)';

/** Which view shows on a narrow screen. */
export class Layout {
  /** @type {View} */
  view = 'list';
  #ui = {
    chat: byId('chat', HTMLElement),
    nav: byId('viewNav', HTMLElement),
  };
  #narrow = window.matchMedia(NARROW);

  /** @param {Record<View, HTMLElement>} focusTargets where focus goes when a view is chosen */
  constructor(focusTargets) {
    this.focusTargets = focusTargets;
    for (const b of this.#ui.nav.querySelectorAll('button[data-view]')) {
      if (b instanceof HTMLButtonElement) b.addEventListener('click', () => this.show(/** @type {View} */ (b.dataset.view), true));
    }
    for (const [id, view] of /** @type {Array<[string, View]>} */ ([
      ['backToList', 'list'],
      ['showPanel', 'panel'],
      ['backToThread', 'thread'],
    ])) {
      byId(id, HTMLButtonElement).addEventListener('click', () => this.show(view, true));
    }
    this.show('list');
  }

  /** True when one view shows at a time. */
  get narrow() {
    return this.#narrow.matches;
  }

  /**
   * @param {View} view
   * @param {boolean} [focus] move focus into it (the agent chose it)
   */
  show(view, focus = false) {
    this.view = view;
    this.#ui.chat.dataset.view = view;
    for (const b of this.#ui.nav.querySelectorAll('button[data-view]')) {
      b.setAttribute('aria-current', String(b.getAttribute('data-view') === view));
    }
    if (focus && this.narrow) this.focusTargets[view].focus();
  }

  /** A conversation was opened by the console itself: on a narrow screen the list gives way to it. */
  opened() {
    if (this.view === 'list') this.show('thread');
  }
}
