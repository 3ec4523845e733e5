import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses } from '../schemas/common.schema.ts';
import {
  AthleteParams,
  CurrentSession,
  DrillEnd,
  DrillParams,
  DrillStart,
  MarkerInput,
  RpeInput,
  Session,
  SessionListQuery,
  SessionParams,
  SessionPatch,
  SessionReport,
  SessionRpe,
  SessionStart,
  SessionStop,
} from '../schemas/session.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { SessionService } from '../services/session.service.ts';
import type { SessionReportService } from '../services/session-report.service.ts';
import type { SessionExportService } from '../services/session-export.service.ts';
import type { AuthService } from '../auth/auth.service.ts';

const DEFAULT_LIST_LIMIT = 50;

interface SessionRouteOptions {
  sessions: SessionService;
  reports: SessionReportService;
  exports: SessionExportService;
  auth: AuthService;
}

const tags = ['sessions'];

/** Stop and end-drill taps usually send no body at all; that means "now", as `{}` does. */
async function bodyDefaultsToEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

/** Filenames are ASCII slugs (see session-export.service.ts), so no RFC 5987 encoding is needed. */
function attachment(filename: string): string {
  return `attachment; filename="${filename}"`;
}

/** A file download in /docs: its media type and a binary body (streams and buffers skip serialisation). */
const fileResponse = <Body>(mediaType: string, description: string) =>
  Type.Unsafe<Body>({ description, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } });

export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRouteOptions> = async (app, { sessions, reports, exports, auth }) => {
  app.get('/api/sessions', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Sessions, newest first', querystring: SessionListQuery, response: { 200: Type.Array(Session), ...errorResponses } },
  }, async (request) => sessions.list(request.query.limit ?? DEFAULT_LIST_LIMIT, request.query.before));

  app.get('/api/sessions/current', {
    config: { role: 'display' },
    schema: { tags, summary: 'The running session with its current drill, or null', response: { 200: CurrentSession, ...errorResponses } },
  }, async () => ({ session: sessions.current() }));

  app.get('/api/sessions/:id', {
    config: { role: 'staff' },
    schema: { tags, summary: 'One session with its drills, markers and session RPE', params: SessionParams, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.get(request.params.id));

  app.post('/api/sessions', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Start a session (live totals restart; refused while another runs)', body: SessionStart, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.start(principalOf(request).actor, request.body));

  app.post('/api/sessions/:id/stop', {
    config: { role: 'staff' },
    preValidation: bodyDefaultsToEmpty,
    schema: { tags, summary: 'Stop the running session (its open drill ends with it)', params: SessionParams, body: SessionStop, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.stop(principalOf(request).actor, request.params.id, request.body.at));

  app.patch('/api/sessions/:id', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Rename a session or change its notes', params: SessionParams, body: SessionPatch, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.update(principalOf(request).actor, request.params.id, request.body));

  app.post('/api/sessions/:id/drills', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Start a drill or phase (the current one ends at the same moment)', params: SessionParams, body: DrillStart, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.startDrill(principalOf(request).actor, request.params.id, request.body));

  app.post('/api/sessions/:id/drills/:drillId/end', {
    config: { role: 'staff' },
    preValidation: bodyDefaultsToEmpty,
    schema: { tags, summary: 'End a drill', params: DrillParams, body: DrillEnd, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.endDrill(principalOf(request).actor, request.params.id, request.params.drillId, request.body.at));

  app.post('/api/sessions/:id/markers', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Mark a moment (one tap: a label, and the time unless it is now)', params: SessionParams, body: MarkerInput, response: { 200: Session, ...errorResponses } },
  }, async (request) => sessions.addMarker(principalOf(request).actor, request.params.id, request.body));

  app.put('/api/sessions/:id/rpe/:athleteId', {
    config: { role: 'staff' },
    schema: { tags, summary: "Enter an athlete's session RPE after the session (load = RPE × minutes)", params: AthleteParams, body: RpeInput, response: { 200: SessionRpe, ...errorResponses } },
  }, async (request) => sessions.setRpe(principalOf(request).actor, request.params.id, request.params.athleteId, request.body));

  app.get('/api/sessions/:id/report', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Session report from the stored readings: per athlete, per drill and team', params: SessionParams, response: { 200: SessionReport, ...errorResponses } },
  }, async (request) => reports.report(request.params.id));

  app.get('/api/sessions/:id/export.csv', {
    config: { role: 'staff' },
    schema: { tags, summary: 'Every stored reading of the session as CSV, one row per reading and athlete', params: SessionParams, response: { 200: fileResponse<Readable>('text/csv', 'Long-format CSV'), ...errorResponses } },
  }, async (request, reply) => {
    const file = await exports.csv(request.params.id);
    await auth.audit(principalOf(request).actor, 'session.export-csv', request.params.id, {});
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(file.filename)).send(file.body);
  });

  app.get('/api/sessions/:id/athletes/:athleteId/export.fit', {
    config: { role: 'staff' },
    schema: { tags, summary: "One athlete's session as a FIT activity file (records, RR, a lap per drill)", params: AthleteParams, response: { 200: fileResponse<Buffer>('application/vnd.ant.fit', 'FIT activity file'), ...errorResponses } },
  }, async (request, reply) => {
    const file = await exports.fit(request.params.id, request.params.athleteId);
    await auth.audit(principalOf(request).actor, 'session.export-fit', request.params.id, { athleteId: request.params.athleteId });
    return reply.header('content-type', 'application/vnd.ant.fit').header('content-disposition', attachment(file.filename)).send(Buffer.from(file.body));
  });
};
