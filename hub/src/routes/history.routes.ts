import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { TouchlineError } from '@touchline/core/metrics';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import type { SampleStore } from '../store/sample-store.ts';
import type { AthleteService } from '../services/athlete.service.ts';

/** A query may return at most this many readings; page with `from`. */
const MAX_READINGS = 50_000;

export const historyRoutes: FastifyPluginAsyncTypebox<{ samples: SampleStore; athletes: AthleteService }> = async (app, { samples, athletes }) => {
  app.get('/api/athletes/:id/readings', {
    config: { role: 'staff' },
    schema: {
      tags: ['history'],
      summary: 'Stored raw readings of one athlete and stream in a time window, oldest first',
      params: IdParams,
      querystring: Type.Object({
        stream: Type.Union([Type.Literal('hr'), Type.Literal('gnss'), Type.Literal('imu'), Type.Literal('battery')]),
        from: Type.Integer({ description: 'Unix ms, inclusive' }),
        to: Type.Integer({ description: 'Unix ms, inclusive' }),
      }),
      response: {
        200: Type.Object({ readings: Type.Array(Type.Object({ sensorId: Type.String(), t: Type.Integer() }, { additionalProperties: true })), truncated: Type.Boolean() }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { stream, from, to } = request.query;
    if (to < from) throw new TouchlineError('TL_ERR_VALIDATION', '"to" must not be before "from"');
    athletes.get(request.params.id);
    const stored = samples.readAthlete(request.params.id, stream, from, to);
    const truncated = stored.length > MAX_READINGS;
    return { readings: stored.slice(0, MAX_READINGS).map((s) => ({ sensorId: s.sensorId, ...s.reading })), truncated };
  });
};
