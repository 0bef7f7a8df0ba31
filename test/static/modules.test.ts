import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const STATIC = path.resolve(__dirname, '..', '..', 'static');
const modules = (fs.readdirSync(STATIC, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).sort();
const source = (file: string): string => fs.readFileSync(path.join(STATIC, file), 'utf8');

/** Every module specifier a file names: imports, re-exports and JSDoc `@import` types. */
function specifiers(js: string): string[] {
  return [...js.matchAll(/(?:\bimport|\bexport|@import)\b[^'"`;]*?\bfrom\s*'([^']+)'|\bimport\s*'([^']+)'/g)].map((m) => (m[1] ?? m[2]) as string);
}

// The pages are native ES modules with no build step: the browser resolves each import exactly
// as written, and tsconfig.static.json type-checks them.
describe('the page modules', () => {
  it('finds the modules', () => {
    expect(modules).toContain(path.join('agent', 'main.js'));
    expect(modules).toContain(path.join('customer', 'main.js'));
  });

  for (const file of modules) {
    it(`${file} is type-checked and imports only files that exist, by relative path with .js`, () => {
      const js = source(file);
      expect(js.startsWith('// @ts-check\n')).toBe(true);
      for (const spec of specifiers(js)) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.?\/.*\.js$/);
        expect(fs.existsSync(path.resolve(STATIC, path.dirname(file), spec)), `${file} imports ${spec}`).toBe(true);
      }
    });

    it(`${file} never writes markup into the page`, () => {
      expect(source(file)).not.toMatch(/\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment)\b/);
    });
  }

  it('loads each page from one module entry, and no other script', () => {
    for (const [page, entry] of [
      ['kefu.html', 'agent/main.js'],
      ['yonghu.html', 'customer/main.js'],
      ['profile.html', 'account/profile.js'],
      ['admin.html', 'account/admin.js'],
      ['setup.html', 'account/setup.js'],
      ['history.html', 'history/main.js'],
    ] as const) {
      const scripts = [...source(page).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts, page).toEqual([`<script type="module" src="${entry}">`]);
    }
  });
});
