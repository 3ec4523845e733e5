// A single-page app: pages render in the browser against the hub's API (see vite.config.ts).
export const ssr = false;
export const prerender = false;
