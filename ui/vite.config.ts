import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-static';
import { defineConfig } from 'vite';

// The hub serves this build itself (hub/src/http/static.plugin.ts); `npm run dev` proxies the API
// to a hub on localhost:8080 so the pages can be worked on with hot reload.
const hub = 'http://localhost:8080';

export default defineConfig({
  plugins: [
    sveltekit({
      // A single-page app: every page renders in the browser from the hub's live API, so one
      // fallback page serves every route. Precompressed copies let the hub send gzip/brotli as is.
      adapter: adapter({ fallback: 'index.html', precompress: true }),
    }),
  ],
  server: {
    proxy: {
      '/api/live/ws': { target: hub.replace('http', 'ws'), ws: true },
      '/api': hub,
    },
  },
  build: {
    // Cheap Android tablets and older iPads: stay within what Safari 15 and Chrome 100 run natively.
    target: ['es2020', 'safari15', 'chrome100'],
  },
});
