import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { Athlete, AthleteFilter, AthleteTeamInput, Club, ClubFilter, ClubInput, NameInput, Organisation, OrganisationFilter, Team, TeamInput } from '../schemas/directory.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { DirectoryService } from '../services/directory.service.ts';

export const directoryRoutes: FastifyPluginAsyncTypebox<{ directory: DirectoryService }> = async (app, { directory }) => {
  app.post('/api/organisations', {
    schema: { tags: ['directory'], summary: 'Create an organisation', body: NameInput, response: { 200: Organisation, ...errorResponses } },
  }, async (request) => directory.createOrganisation(principalOf(request).actor, request.body.name));

  app.get('/api/organisations', {
    config: { access: 'user' },
    schema: { tags: ['directory'], summary: 'Organisations the caller sees anything of', response: { 200: Type.Array(Organisation), ...errorResponses } },
  }, async (request) => directory.listOrganisations(principalOf(request)));

  app.post('/api/clubs', {
    schema: { tags: ['directory'], summary: 'Create a club in an organisation', body: ClubInput, response: { 200: Club, ...errorResponses } },
  }, async (request) => directory.createClub(principalOf(request).actor, request.body.organisationId, request.body.name));

  app.get('/api/clubs', {
    config: { access: 'user' },
    schema: { tags: ['directory'], summary: 'Clubs the caller sees, optionally of one organisation', querystring: OrganisationFilter, response: { 200: Type.Array(Club), ...errorResponses } },
  }, async (request) => directory.listClubs(principalOf(request), request.query.organisationId));

  app.post('/api/teams', {
    schema: { tags: ['directory'], summary: 'Create a team in a club', body: TeamInput, response: { 200: Team, ...errorResponses } },
  }, async (request) => directory.createTeam(principalOf(request).actor, request.body.clubId, request.body.name));

  app.get('/api/teams', {
    config: { access: 'user' },
    schema: { tags: ['directory'], summary: 'Teams the caller sees, optionally of one club', querystring: ClubFilter, response: { 200: Type.Array(Team), ...errorResponses } },
  }, async (request) => directory.listTeams(principalOf(request), request.query.clubId));

  app.get('/api/athletes', {
    config: { access: 'user' },
    schema: { tags: ['directory'], summary: 'Athletes the caller sees (a coach their squad, an athlete themself), by club, team or the hub that sent them', querystring: AthleteFilter, response: { 200: Type.Array(Athlete), ...errorResponses } },
  }, async (request) => directory.listAthletes(principalOf(request), request.query));

  app.get('/api/athletes/:id', {
    config: { access: 'user' },
    schema: { tags: ['directory'], summary: 'One athlete (audited read)', params: IdParams, response: { 200: Athlete, ...errorResponses } },
  }, async (request) => directory.readAthlete(principalOf(request), request.params.id));

  app.put('/api/athletes/:id/team', {
    schema: {
      tags: ['directory'],
      summary: "Put an athlete in a team (a team of another club transfers them to that club; the old club's hubs can then no longer upload for them)",
      params: IdParams,
      body: AthleteTeamInput,
      response: { 200: Athlete, ...errorResponses },
    },
  }, async (request) => directory.setAthleteTeam(principalOf(request).actor, request.params.id, request.body.teamId));
};
