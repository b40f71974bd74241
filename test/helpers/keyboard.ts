/**
 * Keyboard-only walks in Chromium (playwright-core): Tab until a goal is focused, checking at
 * every step that the focus is visible; landmarks and headings of a page.
 */
import type { Page } from 'playwright-core';

export interface Focus { tag: string; id: string; name: string | null; text: string; visible: boolean; lang: string | null; classes: string; value: string | null }

/**
 * What has the focus, and whether it is visibly marked: an outline or a focus ring on it, or on
 * its ::before (the DSFR's « enlarge-link » blocks, like the header's brand, draw the ring on
 * a pseudo-element covering the whole block), or on an ancestor outlined with :focus-within.
 */
export function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const marked = (n: Element) => {
      const cs = getComputedStyle(n);
      return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow !== 'none' && cs.boxShadow !== '');
    };
    const before = getComputedStyle(el, '::before');
    let visible = marked(el) || (before.content !== 'none' && before.outlineStyle !== 'none' && parseFloat(before.outlineWidth) > 0);
    // SurveyJS hides its radio and checkbox inputs and draws their focus on the item's
    // decorator: visible when the decorator looks different with and without the focus.
    const decorator = el.closest('.sd-item')?.querySelector('.sd-item__decorator');
    if (!visible && decorator) {
      const look = () => { const cs = getComputedStyle(decorator); return `${cs.outlineStyle} ${cs.outlineWidth} ${cs.boxShadow} ${cs.borderColor}`; };
      const withFocus = look();
      el.blur();
      const without = look();
      el.focus();
      visible = withFocus !== without;
    }
    for (let n = el.parentElement, i = 0; !visible && n && i < 4; n = n.parentElement, i++) visible = n.matches(':focus-within') && marked(n);
    return { tag: el.tagName, id: el.id, name: el.getAttribute('name'), text: (el.textContent ?? '').trim().slice(0, 60), visible, lang: el.getAttribute('lang'), classes: typeof el.className === 'string' ? el.className : '', value: el.getAttribute('value') };
  });
}

/** Presses Tab until `goal` has the focus; every element reached on the way must show its focus. */
export async function tabTo(page: Page, goal: (f: Focus) => boolean, max = 60): Promise<Focus[]> {
  const path: Focus[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(f);
    if (f.tag !== 'BODY' && !f.visible) throw new Error(`focus not visible on ${JSON.stringify(f)} after ${path.map((p) => p.id || p.text).join(' → ')}`);
    if (goal(f)) return path;
  }
  throw new Error(`not reached by keyboard: ${path.map((p) => `${p.tag}#${p.id}:${p.text}`).join(' → ')}`);
}

/** Landmarks (banner, main, contentinfo) and headings: one h1, no level skipped going down. */
export async function structure(page: Page) {
  return page.evaluate(() => {
    const count = (sel: string) => document.querySelectorAll(sel).length;
    const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => (h as HTMLElement).offsetParent !== null).map((h) => Number(h.tagName[1]));
    const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
    return { banner: count('header[role=banner], [role=banner]'), main: count('main'), contentinfo: count('footer[role=contentinfo], [role=contentinfo]'), h1: levels.filter((l) => l === 1).length, first: levels[0], skips };
  });
}


/**
 * Fills the current page of a SurveyJS form with the keyboard only, in reading order: each
 * visible unanswered radio group gets its first choice (Space), each empty text field `text`
 * (or `number` for a numeric one). Questions a choice reveals are filled in turn. Returns the
 * names of the questions filled.
 */
export async function fillSurveyPageByKeyboard(page: Page, texts: { text: string; number: string } = { text: 'Réponse au clavier', number: '12' }): Promise<string[]> {
  const filled: string[] = [];
  for (let guard = 0; guard < 30; guard++) {
    const next = await page.evaluate(() => {
      const questions = [...document.querySelectorAll('.sd-page .sd-question')].filter((q) => (q as HTMLElement).offsetParent !== null);
      for (const q of questions) {
        const question = q.getAttribute('data-name') ?? '';
        const radios = [...q.querySelectorAll('input[type=radio]')] as HTMLInputElement[];
        if (radios.length) {
          if (!radios.some((r) => r.checked)) return { kind: 'radio' as const, key: radios[0].name, question };
          continue;
        }
        const field = q.querySelector('input:not([type=radio]):not([type=checkbox]), textarea') as HTMLInputElement | null;
        if (field && !field.value) return { kind: 'text' as const, key: field.id, numeric: field.type === 'number', question };
      }
      return null;
    });
    if (!next) return filled;
    if (next.kind === 'radio') {
      await tabTo(page, (f) => f.name === next.key, 80);
      await page.keyboard.press('Space');
    } else {
      await tabTo(page, (f) => f.id === next.key, 80);
      await page.keyboard.type(next.numeric ? texts.number : texts.text);
    }
    filled.push(next.question || next.key);
  }
  throw new Error(`page not filled after 30 questions: ${filled.join(', ')}`);
}
