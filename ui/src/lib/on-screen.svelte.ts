/**
 * Whether an element is on screen, as reactive state, for views that can skip work out of sight.
 * One IntersectionObserver serves every element of the page, not one per element, so the browser
 * has one set of intersections to compute each frame. The margin counts a band of half a screen above and below as on screen,
 * so what scrolls into view is current before it shows.
 */

const MARGIN = '50% 0px';

let observer: IntersectionObserver | null = null;
const watchers = new WeakMap<Element, (onScreen: boolean) => void>();

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) watchers.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin: MARGIN },
  );
  return observer;
}

export class OnScreen {
  /** True until the observer first says otherwise, so a new element renders its content at once. */
  visible = $state(true);

  /** For `{@attach onScreen.watch}` on the element whose visibility counts. */
  readonly watch = (element: Element): (() => void) => {
    watchers.set(element, (onScreen) => (this.visible = onScreen));
    shared().observe(element);
    return () => {
      shared().unobserve(element);
      watchers.delete(element);
    };
  };
}
