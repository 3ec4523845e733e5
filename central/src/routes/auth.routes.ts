import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/common.schema.ts';
import { LoginInput, LoginResult, Me } from '../schemas/portal.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { AuthService } from '../services/auth.service.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in; returns a short-lived token', security: [], body: LoginInput, response: { 200: LoginResult, ...errorResponses } },
  }, async (request) => auth.login(request.body.email, request.body.password));

  app.get('/api/auth/me', {
    config: { access: 'user' },
    schema: { tags: ['auth'], summary: 'Who the token belongs to', response: { 200: Me, ...errorResponses } },
  }, async (request) => {
    const { userId, email, roles } = principalOf(request);
    return { userId, email, roles };
  });
};
