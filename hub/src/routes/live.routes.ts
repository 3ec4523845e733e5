import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { createWebSocketStream } from 'ws';
import { errorResponses } from '../schemas/common.schema.ts';
import type { LiveFeed, LiveSource } from '../live/live-feed.ts';
import type { MqttBroker } from '../broker/broker.ts';

export const liveRoutes: FastifyPluginAsyncTypebox<{ live: LiveFeed; source: LiveSource; broker: MqttBroker }> = async (app, { live, source, broker }) => {
  app.get('/api/live', {
    config: { role: 'display' },
    schema: { tags: ['live'], summary: 'Snapshot of every athlete\'s live state and the running session', response: { 200: Type.Unknown(), ...errorResponses } },
  }, async () => ({ sentAt: Date.now(), ...source.snapshot() }));

  app.get('/api/live/ws', {
    websocket: true,
    config: { role: 'display' },
    schema: { tags: ['live'], summary: 'Live feed (WebSocket): a snapshot, then coalesced athlete updates; see docs/live.md' },
  }, (socket) => live.attach(socket));

  // MQTT over WebSocket for browser tools; the broker authenticates the MQTT CONNECT itself.
  app.get('/mqtt', { websocket: true, config: { role: 'public' }, schema: { hide: true } }, (socket, request) => {
    broker.aedes.handle(createWebSocketStream(socket), request.raw);
  });
};
