/** Central's schema migrations: numbered, append-only, one per file, applied in name order. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/database.ts';

describe('central migrations', () => {
  it('lists every migration file once, under its own name, in numbered order', () => {
    const files = readdirSync(join(import.meta.dirname, '..', 'src', 'db', 'migrations'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -'.ts'.length));
    const names = Object.keys(migrations);
    expect(names).toEqual([...files].sort());
    expect(names.map((n) => Number(n.slice(0, 4)))).toEqual(names.map((_, i) => i + 1));
  });
});
