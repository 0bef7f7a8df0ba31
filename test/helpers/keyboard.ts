import type { Page } from 'playwright-core';

/** How the focused element was described, and whether it shows that it has the focus. */
export interface FocusStop {
  at: string;
  shown: boolean;
}

/**
 * The element with the focus, named for a failure message, and whether its focus can be seen: an
 * outline or a focus ring (box shadow) on it, on the box around it (the composer), or on what
 * draws it (a radio hidden visually shows its focus on the avatar or star after it).
 */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { at: 'body', shown: false };
    const rings = (e: Element | null | undefined): boolean => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== '');
    };
    const at = el.id
      ? `#${el.id}`
      : `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 12) ?? ''}]`;
    return { at, shown: rings(el) || rings(el.closest('.composer-box')) || rings(el.nextElementSibling) };
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on `selector`, as a keyboard user would,
 * and returns every stop on the way (the last one is `selector`). Throws when `max` presses do
 * not get there: the control cannot be reached by keyboard.
 */
export async function tabTo(page: Page, selector: string, back = false, max = 60): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const stop = await focusStop(page);
    stops.push(stop);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return stops;
  }
  throw new Error(`${selector} not reached by ${back ? 'Shift+Tab' : 'Tab'}: ${stops.map((s) => s.at).join(' → ')}`);
}

/**
 * The stops of `tabTo` whose focus cannot be seen. The page itself (past the last control, before
 * the first) is where the browser's own bar would take the focus: not a control of the page.
 */
export const unseen = (stops: FocusStop[]): string[] => stops.filter((s) => !s.shown && s.at !== 'body').map((s) => s.at);
