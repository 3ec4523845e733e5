import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { AthleteDeleted, AthleteExport } from '../schemas/people.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { AthleteDataService } from '../services/athlete-data.service.ts';

export const athleteDataRoutes: FastifyPluginAsyncTypebox<{ athleteData: AthleteDataService }> = async (app, { athleteData }) => {
  app.get('/api/athletes/:id/export', {
    config: { access: 'user' },
    schema: {
      tags: ['people'],
      summary: 'Everything central holds about an athlete, as one JSON document (admin, or the athlete themself; audited)',
      params: IdParams,
      response: { 200: AthleteExport, ...errorResponses },
    },
  }, async (request, reply) => {
    const document = await athleteData.export(principalOf(request), request.params.id);
    reply.header('content-disposition', `attachment; filename="athlete-${request.params.id}.json"`);
    return document;
  });

  app.delete('/api/athletes/:id', {
    schema: {
      tags: ['people'],
      summary: 'Delete an athlete and all their data: readings, RPE, aggregates, workouts and grants (audited)',
      description:
        "For an athlete who came from a hub, the erasure holds against that hub's later batches: central remembers only the hub and the hub's id for the athlete, and leaves their profile, readings and RPE out of every batch that still carries them (the batch is acknowledged as usual, and its answer says what was left out). The hub keeps its own copy. See docs/uplink.md.",
      params: IdParams,
      response: { 200: AthleteDeleted, ...errorResponses },
    },
  }, async (request) => athleteData.delete(principalOf(request), request.params.id));
};
