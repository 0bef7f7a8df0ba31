import type { Page } from 'playwright-core';

/** An interactive element drawn smaller than 24 x 24 CSS px. */
export interface SmallTarget {
  path: string;
  name: string;
  size: string;
}

/**
 * Every visible interactive element of the page whose box is under 24 x 24 CSS px (WCAG 2.5.8),
 * measured without the spacing exception: each target has to be big enough by itself. Links
 * inline in a line of text are exempt, as WCAG says. A radio or checkbox hidden visually is
 * operated through its label, so the label is what is measured.
 *
 * Runs in the browser: it references nothing outside itself.
 */
export function smallTargets(page: Page): Promise<SmallTarget[]> {
  return page.evaluate(() => {
    const SELECTOR =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, label[for], [role="tab"], [role="option"], [role="button"], [tabindex]:not([tabindex="-1"])';
    const pathOf = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        parts.unshift(e.id ? `#${e.id}` : `${e.tagName.toLowerCase()}${e.classList.length > 0 ? `.${[...e.classList].join('.')}` : ''}`);
        if (e.id) break;
      }
      return parts.join(' > ');
    };
    /** Clipped to a pixel for screen readers only (the visually-hidden class). */
    const hiddenVisually = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width <= 1 && r.height <= 1;
    };
    const shown = (el: Element): boolean =>
      el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && !el.closest('[inert]') && !hiddenVisually(el);
    /** A link that flows in a line of text (a link in a message): exempt. */
    const inline = (el: Element): boolean =>
      el.tagName === 'A' && getComputedStyle(el).display === 'inline' && (el.parentElement?.textContent ?? '').trim() !== (el.textContent ?? '').trim();
    const out: Array<{ path: string; name: string; size: string }> = [];
    for (const el of document.body.querySelectorAll(SELECTOR)) {
      // The scrolling logs take focus to be scrolled: they are big by nature, not targets to hit.
      if (el.getAttribute('role') === 'log') continue;
      if (el.tagName === 'LABEL') {
        // A label counts only for an input hidden visually (a star of the rating, say).
        const input = document.getElementById(el.getAttribute('for') ?? '');
        if (!input || !hiddenVisually(input)) continue;
      }
      if (!shown(el) || inline(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width + 0.5 >= 24 && r.height + 0.5 >= 24) continue;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 24);
      out.push({ path: pathOf(el), name, size: `${r.width.toFixed(1)} x ${r.height.toFixed(1)}` });
    }
    return out;
  });
}
