/**
 * Access control for every route. A route declares the least role it needs in `config.role`
 * (default `staff`, so a route that forgets is closed, not open); `public` routes need no sign-in.
 * Tokens come from `Authorization: Bearer`, the `tl_token` cookie, or `?token=` (wall screens and
 * WebSockets, which cannot set headers).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TouchlineError } from '@touchline/core/metrics';
import { roleAtLeast, type AuthService, type Principal, type Role } from '../auth/auth.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: Role | 'public';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const TOKEN_COOKIE = 'tl_token';

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookie = request.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
    }
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

export function registerAccessControl(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config.role ?? 'staff';
    if (needed === 'public') return;
    if (auth.setupRequired) throw new TouchlineError('TL_ERR_SETUP_REQUIRED');
    const principal = await auth.authenticate(tokenOf(request));
    if (!principal) throw new TouchlineError('TL_ERR_AUTH_REQUIRED');
    if (!roleAtLeast(principal.role, needed)) throw new TouchlineError('TL_ERR_FORBIDDEN', `This needs the ${needed} role; you are signed in as ${principal.role}`);
    request.principal = principal;
  });
}

/** The signed-in principal of a route that required one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TouchlineError('TL_ERR_AUTH_REQUIRED');
  return request.principal;
}
