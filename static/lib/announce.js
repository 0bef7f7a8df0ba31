// @ts-check
// What a screen reader is told as it happens (a new message, a new chat), said once, through a
// polite live region of its own (#announcer). The conversation on screen is a log that does not
// speak by itself: showing another conversation or loading history would read it all out again.

/** How many past announcements the region keeps: what was said is said. */
const KEEP = 3;

/**
 * Says `text` politely, after whatever the reader is saying.
 * @param {string} text
 */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region || !text) return;
  // A new line each time: a region whose text is replaced by the same text says nothing.
  const line = document.createElement('p');
  line.textContent = text;
  region.append(line);
  while (region.childElementCount > KEEP) region.firstElementChild?.remove();
}
