import { describe, expect, it } from 'vitest';
import { TABLES } from '../../static/lib/strings.js';

type Table = { [key: string]: string | Table };

/** Every text of a table by its dotted key ('close.4401'). */
function flatten(table: Table, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The {n} placeholders a text fills in, sorted (a translation may reorder them). */
const placeholders = (text: string): string[] => (text.match(/\{\d\}/g) ?? []).sort();

describe('the string tables', () => {
  const zh = flatten(TABLES.zh as unknown as Table);
  const en = flatten(TABLES.en as unknown as Table);

  it('has an English table beside the Chinese one', () => {
    expect(Object.keys(TABLES).sort()).toEqual(['en', 'zh']);
    expect(zh.size).toBeGreaterThan(400);
  });

  it('gives the English table exactly the keys of the Chinese one', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('gives each English text the same placeholders as its Chinese text', () => {
    const differing = [...zh].filter(([key, text]) => placeholders(text).join() !== placeholders(en.get(key) ?? '').join()).map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('keeps Chinese out of the English table and leaves no English text empty', () => {
    expect([...en].filter(([, text]) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(text) || text.trim() === '').map(([key]) => key)).toEqual([]);
  });
});
