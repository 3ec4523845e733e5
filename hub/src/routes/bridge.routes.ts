import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/common.schema.ts';
import { BridgeList } from '../schemas/bridge.schema.ts';
import type { BridgeStatusService } from '../services/bridge-status.service.ts';

export const bridgeRoutes: FastifyPluginAsyncTypebox<{ bridges: BridgeStatusService }> = async (app, { bridges }) => {
  app.get('/api/bridges', {
    config: { role: 'staff' },
    schema: {
      tags: ['health'],
      summary: "Every firmware bridge's latest status: its adapters, their devices with state, RSSI and battery, and its disk buffer",
      response: { 200: BridgeList, ...errorResponses },
    },
  }, async () => ({ bridges: bridges.list(), rejected: bridges.rejected }));
};
