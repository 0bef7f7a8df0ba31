// @ts-check
// Lists that are drawn again from scratch (the conversations, the team) would drop the keyboard
// focus of whoever is on one of their buttons every time something changes. Each such button
// carries a key (data-focus-key); after the redraw the button with the same key gets the focus
// back, or, when it is gone, the fallback does, so the focus never falls to the page itself.

/**
 * Redraws `container` with `draw`, keeping the focus on the same control when it had it.
 * @param {HTMLElement} container
 * @param {() => void} draw
 * @param {() => HTMLElement | null} fallback where the focus goes when its control is gone
 */
export function redrawKeepingFocus(container, draw, fallback) {
  const focused = document.activeElement;
  const inside = focused instanceof HTMLElement && container.contains(focused);
  const key = inside ? focused.dataset.focusKey : undefined;
  draw();
  if (!inside || container.contains(document.activeElement)) return;
  const again = key === undefined ? null : container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
  const target = again instanceof HTMLElement && again.checkVisibility() ? again : fallback();
  target?.focus({ preventScroll: again === target });
}

/**
 * After a change that may have hidden the control with the focus (the resolve button goes with
 * its conversation): the focus moves to `fallback` rather than to the page itself.
 * @param {Element | null} focused what had the focus before the change
 * @param {HTMLElement} fallback
 */
export function refocusIfHidden(focused, fallback) {
  if (!(focused instanceof HTMLElement) || focused === document.body) return;
  const now = document.activeElement;
  const lost = !(now instanceof HTMLElement) || now === document.body || !now.checkVisibility() || (now instanceof HTMLButtonElement && now.disabled);
  if (lost) fallback.focus();
}
