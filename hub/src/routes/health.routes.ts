import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { TouchlineError } from '@touchline/core/metrics';
import { ErrorBody, errorResponses } from '../schemas/common.schema.ts';
import { Health, Ready } from '../schemas/health.schema.ts';
import type { HealthService } from '../services/health.service.ts';
import type { HubMetrics } from '../services/metrics.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ health: HealthService; metrics: HubMetrics }> = async (app, { health, metrics }) => {
  app.get('/api/health', {
    config: { role: 'display' },
    schema: { tags: ['health'], summary: 'How the box, broker, ingest, store, live feed and sensors are doing', response: { 200: Health, ...errorResponses } },
  }, async () => health.snapshot());

  // Public and bare on purpose: pm2, systemd and load balancers probe without a token, and the
  // answer says nothing beyond "up".
  app.get('/api/health/ready', {
    config: { role: 'public' },
    schema: { tags: ['health'], summary: 'Readiness probe: 200 {ok:true} when the hub serves, 503 otherwise', security: [], response: { 200: Ready, 503: ErrorBody } },
  }, async () => {
    if (!health.ready()) throw new TouchlineError('TL_ERR_NOT_READY');
    return { ok: true as const };
  });

  // Needs a token (a display token is enough; Prometheus sends it with `authorization:
  // credentials_file`): the hub sits on a Wi-Fi players and parents may join, and while these
  // numbers are operational, not personal, they tell a stranger the software version to attack
  // and when the squad trains.
  app.get('/metrics', {
    config: { role: 'display' },
    schema: {
      tags: ['health'],
      summary: 'Prometheus metrics (text exposition format)',
      response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: Type.String() } } }, ...errorResponses },
    },
  }, async (_request, reply) => {
    const { contentType, text } = await metrics.render();
    reply.type(contentType);
    return text;
  });
};
