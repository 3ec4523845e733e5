import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams, Ok } from '../schemas/common.schema.ts';
import { Athlete, AthleteInput, AthletePatch } from '../schemas/athlete.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { AthleteService } from '../services/athlete.service.ts';
import type { AuthService } from '../auth/auth.service.ts';

export const athleteRoutes: FastifyPluginAsyncTypebox<{ athletes: AthleteService; auth: AuthService }> = async (app, { athletes, auth }) => {
  app.get('/api/athletes', {
    config: { role: 'display' },
    schema: { tags: ['athletes'], summary: 'The squad with profiles', response: { 200: Type.Array(Athlete), ...errorResponses } },
  }, async () => athletes.list());

  app.get('/api/athletes/:id', {
    config: { role: 'display' },
    schema: { tags: ['athletes'], summary: 'One athlete', params: IdParams, response: { 200: Athlete, ...errorResponses } },
  }, async (request) => athletes.get(request.params.id));

  app.post('/api/athletes', {
    config: { role: 'admin' },
    schema: { tags: ['athletes'], summary: 'Add an athlete', body: AthleteInput, response: { 200: Athlete, ...errorResponses } },
  }, async (request) => {
    const athlete = await athletes.create(request.body);
    await auth.audit(principalOf(request).actor, 'athlete.create', athlete.id, { name: athlete.name });
    return athlete;
  });

  app.patch('/api/athletes/:id', {
    config: { role: 'admin' },
    schema: { tags: ['athletes'], summary: 'Change an athlete or their profile (restarts their live totals)', params: IdParams, body: AthletePatch, response: { 200: Athlete, ...errorResponses } },
  }, async (request) => {
    const athlete = await athletes.update(request.params.id, request.body);
    await auth.audit(principalOf(request).actor, 'athlete.update', athlete.id, request.body);
    return athlete;
  });

  app.delete('/api/athletes/:id', {
    config: { role: 'admin' },
    schema: { tags: ['athletes'], summary: 'Archive an athlete (their data is kept)', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    await athletes.archive(request.params.id);
    await auth.audit(principalOf(request).actor, 'athlete.archive', request.params.id, {});
    return { ok: true as const };
  });
};
