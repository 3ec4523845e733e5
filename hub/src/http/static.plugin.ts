/**
 * Serves the dashboard: the UI's static single-page build (ui/build) from the hub itself, so
 * tablets and the wall screen need nothing but the hub's Wi-Fi. Every path that is not an API,
 * the docs, MQTT or metrics and not a file of the build gets index.html, where the app's own
 * router takes over. Hashed assets are cached for good; index.html is revalidated, so a new build
 * reaches every screen on its next load. The gzip/brotli copies the build ships are sent as they
 * are when the browser accepts them (no compressing on the hub's CPU).
 *
 * When the UI has not been built, the hub still starts and `/` says how to build it; the build is
 * looked for on every page request, so building it later needs no restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { UI_BUILD_DIR } from '../install-paths.ts';

/**
 * Paths that belong to the hub's API, never to the app; and /portal, head office's pages, which
 * share the build but work only when central serves them.
 */
const SERVER_PREFIXES = ['/api', '/docs', '/mqtt', '/metrics', '/portal'];

/** Assets under this folder carry their content hash in their names: safe to cache for good. */
const IMMUTABLE_DIR = join('_app', 'immutable');

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** A request for a file of the build (an asset), as opposed to a page of the app. */
function isAssetPath(pathname: string): boolean {
  return pathname.startsWith('/_app/') || /\.[a-z0-9]{1,8}$/i.test(pathname);
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Touchline hub: dashboard not built</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#0b0f14}code{background:#eef0f3;padding:.15em .4em;border-radius:4px}</style></head>
<body><h1>The hub is running, but its dashboard is not built</h1>
<p>Build the web app once, then reload this page (no restart needed):</p>
<p><code>npm run build -w @touchline/ui</code></p>
<p>The API works meanwhile: see <a href="/docs">/docs</a>.</p></body></html>`;

export async function registerStaticUi(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? UI_BUILD_DIR;
  const index = join(dir, 'index.html');

  await app.register(fastifyStatic, {
    root: dir,
    // Only reply.sendFile: the route below decides what a path means.
    serve: false,
    preCompressed: true,
    // The route sets Cache-Control itself.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', path.includes(IMMUTABLE_DIR) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  app.get('/*', { config: { role: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (isServerPath(pathname)) return reply.callNotFound();
    if (!existsSync(index)) return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    if (isAssetPath(pathname)) {
      // A missing hashed asset is a 404, never the app page (a browser would try to run HTML as a script).
      return reply.sendFile((request.params as { '*': string })['*']);
    }
    return reply.sendFile('index.html');
  });
}
