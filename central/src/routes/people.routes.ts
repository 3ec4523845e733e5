import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { GrantInput, GrantParams, MeView, Overview, User, UserInput } from '../schemas/people.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { OverviewService } from '../services/overview.service.ts';
import type { UserAdminService } from '../services/user-admin.service.ts';

export const peopleRoutes: FastifyPluginAsyncTypebox<{ users: UserAdminService; overview: OverviewService }> = async (app, { users, overview }) => {
  app.get('/api/me', {
    config: { access: 'user' },
    schema: { tags: ['people'], summary: 'The signed-in user and their role grants', response: { 200: MeView, ...errorResponses } },
  }, async (request) => users.me(principalOf(request)));

  app.get('/api/overview', {
    config: { access: 'user' },
    schema: { tags: ['people'], summary: 'Organisations, clubs, teams and hubs with counts: only what the caller may see', response: { 200: Overview, ...errorResponses } },
  }, async (request) => overview.overview(principalOf(request)));

  app.get('/api/users', {
    schema: { tags: ['people'], summary: 'Portal users and their grants', response: { 200: Type.Array(User), ...errorResponses } },
  }, async () => users.list());

  app.post('/api/users', {
    schema: {
      tags: ['people'],
      summary: 'Create a user; without a password they sign in through single sign-on only',
      body: UserInput,
      response: { 200: User, ...errorResponses },
    },
  }, async (request) => users.create(principalOf(request).actor, request.body));

  app.post('/api/users/:id/grants', {
    schema: { tags: ['people'], summary: 'Grant a user a (scoped) role', params: IdParams, body: GrantInput, response: { 200: User, ...errorResponses } },
  }, async (request) => users.addGrant(principalOf(request).actor, request.params.id, request.body));

  app.delete('/api/users/:id/grants/:grantId', {
    schema: { tags: ['people'], summary: "Remove one of a user's grants (takes effect at once)", params: GrantParams, response: { 200: User, ...errorResponses } },
  }, async (request) => users.removeGrant(principalOf(request).actor, request.params.id, request.params.grantId));

  app.post('/api/users/:id/disable', {
    schema: { tags: ['people'], summary: 'Disable a user: no sign-in, and their tokens stop working at once', params: IdParams, response: { 200: User, ...errorResponses } },
  }, async (request) => users.disable(principalOf(request).actor, request.params.id));
};
