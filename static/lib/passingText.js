// @ts-check
// A line that shows for a few seconds and goes by itself: a refused frame's reason (error frames
// are not chat messages) or "NAME is typing…".

/** A text in a node that hides itself after `ms`. */
export class PassingText {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;

  /**
   * @param {HTMLElement} node
   * @param {number} ms how long a text stays
   */
  constructor(node, ms) {
    this.node = node;
    this.ms = ms;
  }

  /** @param {string} text */
  show(text) {
    this.node.textContent = text;
    this.node.hidden = false;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.node.hidden = true;
    }, this.ms);
  }

  hide() {
    clearTimeout(this.#timer);
    this.node.hidden = true;
  }
}
