/**
 * Access control for every route. A route declares who may call it in `config.access`: `public`,
 * `hub` (a hub's credential), `user` (anyone signed in), or the least role, `analyst` or `admin`.
 * The default is `admin`, so a route that forgets is closed, not open. Portal tokens and hub
 * credentials both travel as `Authorization: Bearer …`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TouchlineError } from '@touchline/core';
import type { AuthService, Principal } from '../services/auth.service.ts';
import type { AuthenticatedHub, HubRegistryService } from '../services/hub-registry.service.ts';

export type Access = 'public' | 'hub' | 'user' | 'analyst' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    portalUser: Principal | null;
    uplinkHub: AuthenticatedHub | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** The API documentation (under `docsPrefix`) is public; every other route declares its access or needs admin. */
export function registerAccessControl(app: FastifyInstance, auth: AuthService, hubs: HubRegistryService, docsPrefix: string): void {
  app.decorateRequest('portalUser', null);
  app.decorateRequest('uplinkHub', null);
  app.addHook('onRequest', async (request) => {
    const isDocs = request.routeOptions.url?.startsWith(docsPrefix) ?? false;
    const access = request.routeOptions.config.access ?? (isDocs ? 'public' : 'admin');
    if (access === 'public') return;
    if (access === 'hub') {
      request.uplinkHub = await hubs.authenticate(bearer(request));
      return;
    }
    const principal = await auth.authenticate(bearer(request));
    if (!principal) throw new TouchlineError('TL_ERR_AUTH_REQUIRED', 'Sign in with POST /api/auth/login and send the token as Authorization: Bearer …');
    const allowed = access === 'user' || principal.roles.includes('admin') || (access === 'analyst' && principal.roles.includes('analyst'));
    if (!allowed) throw new TouchlineError('TL_ERR_FORBIDDEN', `This needs the ${access} role`);
    request.portalUser = principal;
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.portalUser) throw new TouchlineError('TL_ERR_AUTH_REQUIRED');
  return request.portalUser;
}

export function hubOf(request: FastifyRequest): AuthenticatedHub {
  if (!request.uplinkHub) throw new TouchlineError('TL_ERR_HUB_UNAUTHORIZED');
  return request.uplinkHub;
}
