// @ts-check
// The 1-5 star rating offered when a conversation ends. It goes over HTTP with the
// conversation's resume token, so it works after the socket has closed.
import { byId } from '../lib/dom.js';
import { bearer } from '../lib/http.js';
import { t } from '../lib/i18n.js';

/** The rating form under an ended conversation. */
export class Rating {
  /** @type {string | null} the resume token of the conversation to rate, while the form is offered */
  #token = null;
  #ui = {
    form: byId('rating', HTMLFormElement),
    comment: byId('ratingComment', HTMLTextAreaElement),
    error: byId('ratingError', HTMLElement),
    submit: byId('ratingSubmit', HTMLButtonElement),
    done: byId('ratingDone', HTMLElement),
    stars: Array.from(document.querySelectorAll('#rating input[name="score"]'), (n) => {
      if (!(n instanceof HTMLInputElement)) throw new Error('a star that is not a radio button');
      return n;
    }),
  };

  /** @param {() => void} [rated] told once the conversation is rated (by this tab, or found already rated) */
  constructor(rated = () => {}) {
    this.rated = rated;
    for (const input of this.#ui.stars) input.addEventListener('change', () => this.#paint());
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#send();
    });
  }

  /** True while a rating is offered and not sent. */
  get open() {
    return this.#token !== null;
  }

  #score() {
    const checked = this.#ui.stars.find((s) => s.checked);
    return checked ? Number(checked.value) : 0;
  }

  /** Lights the stars up to the chosen one (labels follow their radios). */
  #paint() {
    const s = this.#score();
    for (const input of this.#ui.stars) input.nextElementSibling?.classList.toggle('on', Number(input.value) <= s);
  }

  /** @param {string} text */
  #finish(text) {
    this.#token = null;
    this.#ui.form.hidden = true;
    this.#ui.done.textContent = text;
    this.#ui.done.hidden = false;
  }

  async #send() {
    const ui = this.#ui;
    const score = this.#score();
    ui.error.textContent = '';
    if (!score) {
      ui.error.textContent = t('ratingPickScore');
      ui.stars[0]?.focus();
      return;
    }
    if (!this.#token) return;
    /** @type {{ score: number, comment?: string }} */
    const body = { score };
    if (ui.comment.value.trim()) body.comment = ui.comment.value;
    ui.submit.disabled = true;
    try {
      const r = await fetch('/api/me/rating', {
        method: 'POST',
        headers: { ...bearer(this.#token), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      ui.submit.disabled = false;
      if (r.status === 201 || r.status === 409) this.rated();
      if (r.status === 201) this.#finish(t('ratingThanks'));
      else if (r.status === 409) this.#finish(t('ratingAlready'));
      else if (r.status === 401) this.#finish(t('ratingExpired'));
      else ui.error.textContent = t('ratingFailed');
    } catch {
      ui.submit.disabled = false;
      ui.error.textContent = t('ratingFailed');
    }
  }

  /** Another tab of this visitor rated the conversation: this one thanks too instead of asking again. */
  ratedElsewhere() {
    if (this.open) this.#finish(t('ratingThanks'));
  }

  /** Hides the rating and forgets the token (a new chat, or nothing to rate). */
  reset() {
    this.#token = null;
    this.#ui.form.hidden = true;
    this.#ui.done.hidden = true;
    this.#ui.error.textContent = '';
    this.#ui.comment.value = '';
    for (const input of this.#ui.stars) input.checked = false;
    this.#paint();
  }

  /**
   * Shows the rating for the conversation this resume token belongs to (none: nothing to rate).
   * @param {string | null} resumeToken
   */
  offer(resumeToken) {
    this.reset();
    if (!resumeToken) return;
    this.#token = resumeToken;
    this.#ui.form.hidden = false;
  }
}
