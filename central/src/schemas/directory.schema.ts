import Type from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

const Name = Type.String({ minLength: 1, maxLength: 120 });

export const NameInput = Type.Object({ name: Name }, { additionalProperties: false });
export const ClubInput = Type.Object({ organisationId: Uuid, name: Name }, { additionalProperties: false });
export const TeamInput = Type.Object({ clubId: Uuid, name: Name }, { additionalProperties: false });

export const Organisation = Type.Object({ id: Uuid, name: Type.String(), createdAt: UnixMs });
export const Club = Type.Object({ id: Uuid, organisationId: Uuid, name: Type.String(), createdAt: UnixMs });
export const Team = Type.Object({ id: Uuid, clubId: Uuid, name: Type.String(), createdAt: UnixMs });

export const Athlete = Type.Object({
  id: Uuid,
  clubId: Uuid,
  teamId: Nullable(Uuid),
  hubId: Nullable(Uuid),
  localId: Nullable(Type.String({ description: 'The id the hub gave this athlete' })),
  name: Type.String(),
  number: Nullable(Type.Integer()),
  position: Nullable(Type.String()),
  group: Nullable(Type.String()),
  hrMax: Nullable(Type.Integer()),
  hrRest: Nullable(Type.Integer()),
  sex: Nullable(Type.String()),
  massKg: Nullable(Type.Number()),
  birthYear: Nullable(Type.Integer()),
  archived: Type.Boolean(),
  updatedAt: UnixMs,
});

export const AthleteFilter = Type.Object({ clubId: Type.Optional(Uuid), teamId: Type.Optional(Uuid), hubId: Type.Optional(Uuid) }, { additionalProperties: false });
export const OrganisationFilter = Type.Object({ organisationId: Type.Optional(Uuid) }, { additionalProperties: false });
export const ClubFilter = Type.Object({ clubId: Type.Optional(Uuid) }, { additionalProperties: false });
export const AthleteTeamInput = Type.Object({ teamId: Uuid }, { additionalProperties: false });
