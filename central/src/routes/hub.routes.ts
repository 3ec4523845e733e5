import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { ClubFilter } from '../schemas/directory.schema.ts';
import { CreatedHub, Enrolment, Hub, HubDetail, HubInput } from '../schemas/hub.schema.ts';
import { EnrolRequest, EnrolResponse } from '../schemas/uplink.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import { TouchlineError } from '@touchline/core';
import type { HubRegistryService } from '../services/hub-registry.service.ts';
import { within, type ReachService } from '../services/reach.service.ts';

export const hubRoutes: FastifyPluginAsyncTypebox<{ hubs: HubRegistryService; reach: ReachService }> = async (app, { hubs, reach }) => {
  app.post('/api/hubs', {
    schema: { tags: ['hubs'], summary: 'Register a hub for a club; returns its one-time enrolment code', body: HubInput, response: { 200: CreatedHub, ...errorResponses } },
  }, async (request) => hubs.create(principalOf(request).actor, request.body.clubId, request.body.name));

  app.get('/api/hubs', {
    config: { access: 'analyst' },
    schema: { tags: ['hubs'], summary: 'Hubs, optionally of one club', querystring: ClubFilter, response: { 200: Type.Array(Hub), ...errorResponses } },
  }, async (request) => {
    const r = await reach.of(principalOf(request));
    return (await hubs.list(request.query.clubId)).filter((hub) => within(r, 'hubClubIds', hub.clubId));
  });

  app.get('/api/hubs/:id', {
    config: { access: 'analyst' },
    schema: { tags: ['hubs'], summary: 'One hub and how far central holds each of its streams', params: IdParams, response: { 200: HubDetail, ...errorResponses } },
  }, async (request) => {
    const hub = await hubs.get(request.params.id);
    // An analyst of one organisation does not learn of other organisations' hubs.
    if (!within(await reach.of(principalOf(request)), 'hubClubIds', hub.clubId)) throw new TouchlineError('TL_ERR_NOT_FOUND', `No hub ${request.params.id}`);
    return hub;
  });

  app.post('/api/hubs/:id/enrolment-codes', {
    schema: { tags: ['hubs'], summary: 'A fresh enrolment code for a hub (e.g. a replaced box); enrolling replaces its credential', params: IdParams, response: { 200: Enrolment, ...errorResponses } },
  }, async (request) => hubs.issueCode(principalOf(request).actor, request.params.id));

  app.post('/api/hubs/:id/revoke', {
    schema: { tags: ['hubs'], summary: "Revoke a hub: central refuses its uploads from now on (what it sent stays)", params: IdParams, response: { 200: Hub, ...errorResponses } },
  }, async (request) => hubs.revoke(principalOf(request).actor, request.params.id));

  app.post('/api/hubs/enrol', {
    config: { access: 'public' },
    schema: { tags: ['uplink'], summary: "A hub exchanges its enrolment code for its own credential", security: [], body: EnrolRequest, response: { 200: EnrolResponse, ...errorResponses } },
  }, async (request) => hubs.enrol(request.body.code, request.body.name, request.body.secret));
};
