/**
 * Single sign-on. `start` and `callback` are browser navigations, not API calls: they answer with
 * redirects. The callback hands the portal its token in the URL fragment (never sent to a
 * server or written to access logs), or an error code the same way.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTouchlineError } from '@touchline/core';
import { errorResponses } from '../schemas/common.schema.ts';
import { OidcCallbackQuery, OidcInfo } from '../schemas/people.schema.ts';
import { OIDC_COOKIE, OIDC_COOKIE_PATH, type OidcService } from '../services/oidc.service.ts';

const LOGIN_PAGE = '/portal/login';

function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function flowCookie(oidc: OidcService, value: string, maxAge: number): string {
  return `${OIDC_COOKIE}=${encodeURIComponent(value)}; Path=${OIDC_COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${oidc.secureCookie ? '; Secure' : ''}`;
}

function toLogin(reply: FastifyReply, fragment: Record<string, string>) {
  reply.header('cache-control', 'no-store');
  return reply.redirect(`${LOGIN_PAGE}#${new URLSearchParams(fragment).toString()}`, 302);
}

export const oidcRoutes: FastifyPluginAsyncTypebox<{ oidc: OidcService }> = async (app, { oidc }) => {
  app.get('/api/auth/oidc', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Whether single sign-on is available, and its button label', security: [], response: { 200: OidcInfo, ...errorResponses } },
  }, async () => oidc.info());

  app.get('/api/auth/oidc/start', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Starts single sign-on: redirects the browser to the provider', security: [], response: errorResponses },
  }, async (_request, reply) => {
    const { location, cookie } = await oidc.start();
    reply.header('set-cookie', flowCookie(oidc, cookie, oidc.cookieMaxAge()));
    reply.header('cache-control', 'no-store');
    return reply.redirect(location, 302);
  });

  app.get('/api/auth/oidc/callback', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Where the provider returns the browser; redirects to /portal/login#token=<jwt>, or #error=<TL_ERR_ code>&message=…',
      security: [],
      querystring: OidcCallbackQuery,
    },
  }, async (request, reply) => {
    // The flow cookie is spent either way: a second try must start again.
    reply.header('set-cookie', flowCookie(oidc, '', 0));
    try {
      const signIn = await oidc.callback(request.query as Record<string, string | undefined>, readCookie(request, OIDC_COOKIE));
      return toLogin(reply, { token: signIn.token });
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      request.log.info({ code: err.code }, 'single sign-on refused');
      return toLogin(reply, { error: err.code, message: err.message });
    }
  });
};
