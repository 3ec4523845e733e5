/**
 * The analytics API: training load per athlete and team, HRV, sessions with figures, session
 * reports and comparisons. Signed-in users of any role; DataScope decides whose data they see.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { principalOf } from '../http/access.plugin.ts';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { AthleteLoad, AthleteSession, CompareQuery, Comparison, DayRange, HrvDay, LoadQuery, SessionReport, TeamLoad } from '../schemas/analytics.schema.ts';
import type { AnalyticsService } from '../services/analytics.service.ts';

export const analyticsRoutes: FastifyPluginAsyncTypebox<{ analytics: AnalyticsService }> = async (app, { analytics }) => {
  app.get('/api/athletes/:id/load', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: "An athlete's daily load with ACWR, EWMA ACWR, monotony, strain and CTL/ATL/TSB",
      params: IdParams,
      querystring: LoadQuery,
      response: { 200: AthleteLoad, ...errorResponses },
    },
  }, async (request) => analytics.athleteLoad(principalOf(request), request.params.id, request.query));

  app.get('/api/teams/:id/load', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: "Each team member's daily load, and the load models over the team's mean daily load",
      params: IdParams,
      querystring: LoadQuery,
      response: { 200: TeamLoad, ...errorResponses },
    },
  }, async (request) => analytics.teamLoad(principalOf(request), request.params.id, request.query));

  app.get('/api/athletes/:id/hrv', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: "RMSSD per day of the athlete's recorded beat-to-beat intervals (days with at least a minute of beats)",
      params: IdParams,
      querystring: DayRange,
      response: { 200: Type.Array(HrvDay), ...errorResponses },
    },
  }, async (request) => analytics.hrv(principalOf(request), request.params.id, request.query));

  app.get('/api/athletes/:id/sessions', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: "The athlete's sessions starting in the range, with their figures, oldest first",
      params: IdParams,
      querystring: DayRange,
      response: { 200: Type.Array(AthleteSession), ...errorResponses },
    },
  }, async (request) => analytics.athleteSessions(principalOf(request), request.params.id, request.query));

  app.get('/api/sessions/:id/report', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: 'Per-athlete and per-drill figures of a session, and the team mean (only athletes the caller may see)',
      params: IdParams,
      response: { 200: SessionReport, ...errorResponses },
    },
  }, async (request) => analytics.sessionReport(principalOf(request), request.params.id));

  app.get('/api/compare', {
    config: { access: 'user' },
    schema: {
      tags: ['analytics'],
      summary: "Daily loads of some athletes side by side, optionally against their team's or position's mean",
      querystring: CompareQuery,
      response: { 200: Comparison, ...errorResponses },
    },
  }, async (request) => analytics.compare(principalOf(request), request.query));
};
