import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams, Ok } from '../schemas/common.schema.ts';
import { Credential, CredentialInput, NewCredential, PairBody, Sensor, SensorIdParams } from '../schemas/sensor.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { RosterService } from '../services/roster.service.ts';
import type { DeviceCredentialService } from '../services/device-credential.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { IngestService } from '../ingest/ingest.service.ts';

export const sensorRoutes: FastifyPluginAsyncTypebox<{ roster: RosterService; credentials: DeviceCredentialService; auth: AuthService; ingest: IngestService }> = async (
  app,
  { roster, credentials, auth, ingest },
) => {
  app.get('/api/sensors', {
    config: { role: 'display' },
    schema: {
      tags: ['sensors'],
      summary: 'Every sensor the hub has seen; unpaired ones are the discovery list',
      querystring: Type.Object({ unpaired: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Array(Sensor), ...errorResponses },
    },
  }, async (request) => roster.list().filter((s) => !request.query.unpaired || s.athleteId === null));

  app.put('/api/sensors/:id/pairing', {
    config: { role: 'staff' },
    schema: { tags: ['sensors'], summary: 'Pair a sensor to an athlete from now on (re-pairing mid-session keeps earlier data with the earlier athlete)', params: SensorIdParams, body: PairBody, response: { 200: Sensor, ...errorResponses } },
  }, async (request) => {
    const sensor = await roster.pair(request.params.id, request.body.athleteId, Date.now());
    await auth.audit(principalOf(request).actor, 'sensor.pair', sensor.id, { athleteId: request.body.athleteId });
    return sensor;
  });

  app.delete('/api/sensors/:id/pairing', {
    config: { role: 'staff' },
    schema: { tags: ['sensors'], summary: 'Unpair a sensor', params: SensorIdParams, response: { 200: Sensor, ...errorResponses } },
  }, async (request) => {
    const sensor = await roster.unpair(request.params.id, Date.now());
    await auth.audit(principalOf(request).actor, 'sensor.unpair', sensor.id, {});
    return sensor;
  });

  app.patch('/api/sensors/:id', {
    config: { role: 'staff' },
    schema: { tags: ['sensors'], summary: 'Label a sensor (e.g. the strap number)', params: SensorIdParams, body: Type.Object({ label: Type.Union([Type.String({ maxLength: 60 }), Type.Null()]) }, { additionalProperties: false }), response: { 200: Sensor, ...errorResponses } },
  }, async (request) => {
    const sensor = await roster.setLabel(request.params.id, request.body.label);
    await auth.audit(principalOf(request).actor, 'sensor.label', sensor.id, request.body);
    return sensor;
  });

  app.get('/api/ingest/rejects', {
    config: { role: 'staff' },
    schema: { tags: ['sensors'], summary: 'Rejected messages counted per sensor and reason, with the most recent ones', response: { 200: Type.Unknown(), ...errorResponses } },
  }, async () => ingest.rejects.snapshot());

  app.get('/api/device-credentials', {
    config: { role: 'admin' },
    schema: { tags: ['sensors'], summary: 'MQTT credentials of devices (without secrets)', response: { 200: Type.Array(Credential), ...errorResponses } },
  }, async () => credentials.list());

  app.post('/api/device-credentials', {
    config: { role: 'admin' },
    schema: { tags: ['sensors'], summary: 'Create an MQTT credential for devices; the password is shown once', body: CredentialInput, response: { 200: NewCredential, ...errorResponses } },
  }, async (request) => credentials.create(principalOf(request), request.body.sensorIds, request.body.label));

  app.delete('/api/device-credentials/:id', {
    config: { role: 'admin' },
    schema: { tags: ['sensors'], summary: 'Revoke a device credential (new connections are refused)', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    await credentials.revoke(principalOf(request), request.params.id);
    return { ok: true as const };
  });
};
