/** Vitest global setup of the `ui` project: the browser tests need the current build of the UI. */
import { ensureUiBuild } from './ui-build.ts';

export default function setup(): void {
  ensureUiBuild();
}
