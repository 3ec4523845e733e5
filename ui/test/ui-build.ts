/**
 * Makes sure ui/build is the build of the current sources before the browser tests run: builds
 * when the build is missing or older than any source or config file, and otherwise costs one
 * directory walk. `npm test` therefore needs no separate build step, and a developer who edits a
 * page and runs the UI tests sees the edit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_INDEX = join(UI, 'build', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function ensureUiBuild(): void {
  const sources = ['src', 'static', 'vite.config.ts', 'package.json', '../core/src/hrv'].map((p) => join(UI, p)).filter(existsSync);
  const built = existsSync(BUILD_INDEX) ? statSync(BUILD_INDEX).mtimeMs : 0;
  if (built > Math.max(...sources.map(newestMtime))) return;
  // `npm run` puts the workspace's pinned Node first on the PATH, as every other script gets it.
  execFileSync('npm', ['run', 'build', '-w', '@touchline/ui'], { cwd: join(UI, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
}
