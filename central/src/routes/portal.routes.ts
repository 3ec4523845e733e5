import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { AuditEntry, Health, Reading, ReadingCount, ReadingQuery, Session, SessionDetail, SessionFilter, TimeWindow } from '../schemas/portal.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { PortalService } from '../services/portal.service.ts';
import type { AuthService } from '../services/auth.service.ts';

export const portalRoutes: FastifyPluginAsyncTypebox<{ portal: PortalService; auth: AuthService }> = async (app, { portal, auth }) => {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['portal'], summary: 'Ready when the database answers (503 TL_ERR_CENTRAL_UNAVAILABLE otherwise)', security: [], response: { 200: Health, ...errorResponses } },
  }, async () => portal.health());

  app.get('/api/sessions', {
    config: { access: 'user' },
    schema: { tags: ['portal'], summary: 'Sessions of the clubs the caller sees, newest first, by club or hub', querystring: SessionFilter, response: { 200: Type.Array(Session), ...errorResponses } },
  }, async (request) => portal.listSessions(principalOf(request), { ...request.query, limit: request.query.limit ?? 50 }));

  app.get('/api/sessions/:id', {
    config: { access: 'user' },
    schema: { tags: ['portal'], summary: 'One session with drills, and the RPE and readings of the athletes the caller sees (audited read)', params: IdParams, response: { 200: SessionDetail, ...errorResponses } },
  }, async (request) => portal.session(principalOf(request), request.params.id));

  app.get('/api/athletes/:id/readings/counts', {
    config: { access: 'user' },
    schema: { tags: ['portal'], summary: "An athlete's stored readings per kind (audited read)", params: IdParams, querystring: TimeWindow, response: { 200: Type.Array(ReadingCount), ...errorResponses } },
  }, async (request) => portal.athleteReadingCounts(principalOf(request), request.params.id, request.query.from, request.query.to));

  app.get('/api/athletes/:id/readings', {
    config: { access: 'user' },
    schema: { tags: ['portal'], summary: "An athlete's raw readings of one kind in a time window (audited read)", params: IdParams, querystring: ReadingQuery, response: { 200: Type.Array(Reading), ...errorResponses } },
  }, async (request) => portal.athleteReadings(principalOf(request), request.params.id, request.query.kind, request.query.from, request.query.to, request.query.limit ?? 10_000));

  app.get('/api/audit', {
    schema: { tags: ['portal'], summary: 'The newest audit log entries', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })) }), response: { 200: Type.Array(AuditEntry), ...errorResponses } },
  }, async (request) => auth.auditLog(request.query.limit ?? 100));
};
