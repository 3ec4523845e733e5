/**
 * End-to-end lag probe for the browser benchmark (scripts/bench-browser.ts): for every athlete
 * update a screen receives, the time from the reading's measurement time (`t`, stamped by the
 * device) to the paint that shows it. Active only when the page was opened with `?bench` in its
 * URL; otherwise `noteAthleteFrame` is null and a screen pays one null check per frame.
 *
 * "Painted" is taken as a task posted from the requestAnimationFrame callback that follows the
 * update: rAF callbacks run after the DOM update (Svelte flushes its effects in a microtask) and
 * just before the frame is rendered, so a message posted from there runs once that frame has been
 * produced. Entries are kept flat (four numbers each: t, hub send time, receive time, paint time,
 * all Unix ms; device, hub and browser share one clock when they share a machine) in
 * `window.__touchlineLag`, and the benchmark drains that array every second, so the probe holds no
 * growing memory of its own.
 */

declare global {
  interface Window {
    __touchlineLag?: number[];
  }
}

type FrameNote = (athletes: readonly { t: number | null }[], sentAt: number) => void;

function createProbe(): FrameNote {
  const drained: number[] = [];
  window.__touchlineLag = drained;
  const pending: number[] = [];
  let scheduled = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const painted = Date.now();
    const out = window.__touchlineLag ?? drained;
    for (let i = 0; i < pending.length; i += 3) out.push(pending[i]!, pending[i + 1]!, pending[i + 2]!, painted);
    pending.length = 0;
    scheduled = false;
  };
  return (athletes, sentAt) => {
    const received = Date.now();
    for (const athlete of athletes) if (athlete.t !== null) pending.push(athlete.t, sentAt, received);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => channel.port2.postMessage(0));
  };
}

const enabled = typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('bench');

/** Records an `athletes` frame's lag; null unless the page was opened with `?bench`. */
export const noteAthleteFrame: FrameNote | null = enabled ? createProbe() : null;
