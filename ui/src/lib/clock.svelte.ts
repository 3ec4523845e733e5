/** One shared one-second tick for elapsed times and "x s ago" labels, instead of a timer per tile. */
class Clock {
  now = $state(Date.now());
  constructor() {
    setInterval(() => (this.now = Date.now()), 1000);
  }
}

export const clock = new Clock();
