/**
 * Serves the head-office portal: the UI's static single-page build (ui/build, the same build the
 * hub serves) from central itself. `/` redirects to `/portal`; every page path under `/portal`
 * that is not a file of the build gets the build's fallback page, where the app's own router takes
 * over. Everything else that matches no route (an unknown `/api/…` above all) keeps central's
 * JSON 404. Hashed assets are cached for good; the fallback page is revalidated, so a new build
 * reaches every browser on its next load. The build's gzip/brotli copies are sent as they are.
 *
 * When the UI has not been built, central still starts and `/portal` says how to build it; the
 * build is looked for on every page request, so building it later needs no restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../ui/build/', import.meta.url));

/** The page the static build answers every app route with (adapter-static's `fallback`). */
const FALLBACK_PAGE = 'index.html';

/** Assets under this folder carry their content hash in their names: safe to cache for good. */
const IMMUTABLE_DIR = join('_app', 'immutable');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Touchline central: portal not built</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#0b0f14}code{background:#eef0f3;padding:.15em .4em;border-radius:4px}</style></head>
<body><h1>Central is running, but its portal is not built</h1>
<p>Build the web app once, then reload this page (no restart needed):</p>
<p><code>npm run build -w @touchline/ui</code></p>
<p>The API works meanwhile: see <a href="/docs">/docs</a>.</p></body></html>`;

/** A file of the build (an asset) rather than a page of the app. */
function isAssetPath(pathname: string): boolean {
  return /\.[a-z0-9]{1,8}$/i.test(pathname);
}

export async function registerStaticUi(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? DEFAULT_UI_DIR;
  const fallback = join(dir, FALLBACK_PAGE);

  await app.register(fastifyStatic, {
    root: dir,
    // Only reply.sendFile: the routes below decide what a path means.
    serve: false,
    preCompressed: true,
    // Set here instead, per file.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', path.includes(IMMUTABLE_DIR) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const page = { config: { access: 'public' as const }, schema: { hide: true } };

  app.get('/', page, async (_request, reply) => reply.redirect('/portal'));

  // The app's scripts, styles and icons. A missing one is a 404, never the app page (a browser
  // would try to run HTML as a script).
  app.get('/_app/*', page, async (request, reply) => reply.sendFile(`_app/${(request.params as { '*': string })['*']}`));
  app.get('/favicon.svg', page, async (_request, reply) => reply.sendFile('favicon.svg'));

  const portalPage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(fallback)) return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    const pathname = request.url.split('?')[0] ?? '/portal';
    if (isAssetPath(pathname)) return reply.callNotFound();
    return reply.sendFile(FALLBACK_PAGE);
  };
  app.get('/portal', page, portalPage);
  app.get('/portal/*', page, portalPage);
}
