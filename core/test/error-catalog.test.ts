import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../src/errors.ts';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'test' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

describe('error catalog', () => {
  const documented = new Set(
    [...readFileSync(join(root, 'docs', 'errors.md'), 'utf8').matchAll(/^\| `(TL_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]),
  );
  const cataloged = new Set(Object.keys(ERROR_CATALOG));

  it('documents exactly the cataloged codes', () => {
    expect([...documented].sort()).toEqual([...cataloged].sort());
  });

  it('uses no code in source that the catalog lacks', () => {
    const packages = ['core', 'hub', 'firmware-bridge', 'central', 'ui'].map((p) => join(root, p));
    const used = new Set<string>();
    for (const pkg of packages) {
      let files: string[];
      try {
        files = sourceFiles(pkg);
      } catch {
        continue;
      }
      for (const file of files) {
        for (const m of readFileSync(file, 'utf8').matchAll(/\bTL_ERR_[A-Z0-9_]+\b/g)) used.add(m[0]);
      }
    }
    const unknown = [...used].filter((code) => !cataloged.has(code));
    expect(unknown).toEqual([]);
  });
});
