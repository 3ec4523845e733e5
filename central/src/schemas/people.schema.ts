/** Users, their role grants, what each caller may see, and an athlete's data as one document. */
import Type from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

const RoleName = Type.Union([Type.Literal('admin'), Type.Literal('analyst'), Type.Literal('coach'), Type.Literal('athlete')]);

export const GrantInput = Type.Object(
  {
    role: RoleName,
    organisationId: Type.Optional(Nullable(Uuid)),
    clubId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
    athleteId: Type.Optional(Nullable(Uuid)),
  },
  {
    additionalProperties: false,
    description: 'admin: nothing else; analyst: optionally one organisationId; coach: a teamId or a clubId; athlete: an athleteId',
  },
);

export const Grant = Type.Object({
  id: Uuid,
  role: Type.String(),
  organisationId: Nullable(Uuid),
  clubId: Nullable(Uuid),
  teamId: Nullable(Uuid),
  athleteId: Nullable(Uuid),
});

export const UserInput = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 200, description: 'Leave out for a user who signs in only through single sign-on' })),
    grants: Type.Array(GrantInput, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  hasPassword: Type.Boolean(),
  createdAt: UnixMs,
  disabledAt: Nullable(UnixMs),
  grants: Type.Array(Grant),
  identities: Type.Array(Type.Object({ issuer: Type.String(), email: Nullable(Type.String()), lastUsedAt: Nullable(UnixMs) }), {
    description: 'Single sign-on accounts linked to this user',
  }),
});

export const GrantParams = Type.Object({ id: Uuid, grantId: Uuid });

export const MeView = Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), grants: Type.Array(Grant) });

const HubSummary = Type.Object({ id: Uuid, name: Type.String(), enrolledAt: Nullable(UnixMs), lastSeenAt: Nullable(UnixMs), revokedAt: Nullable(UnixMs) });

export const Overview = Type.Object({
  organisations: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      clubs: Type.Array(
        Type.Object({
          id: Uuid,
          name: Type.String(),
          athletes: Type.Integer({ description: 'Athletes (not archived) the caller sees' }),
          sessionsLast7Days: Type.Integer(),
          teams: Type.Array(Type.Object({ id: Uuid, name: Type.String(), athletes: Type.Integer() })),
          hubs: Type.Array(HubSummary),
        }),
      ),
    }),
  ),
});

export const AthleteExport = Type.Object(
  {
    format: Type.Literal('touchline-athlete-export/1'),
    exportedAt: UnixMs,
    athlete: Type.Record(Type.String(), Type.Unknown()),
    accounts: Type.Array(Type.Object({ userId: Uuid, email: Type.String(), name: Type.String(), grantId: Uuid })),
    sessions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    sessionLoads: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    drillLoads: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    dailyLoads: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    workouts: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    samples: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    accessLog: Type.Array(Type.Object({ at: UnixMs, actor: Type.String(), action: Type.String(), detail: Type.Unknown() })),
  },
  { description: 'Everything central holds about one athlete' },
);

export const AthleteDeleted = Type.Object({
  athleteId: Uuid,
  deleted: Type.Record(Type.String(), Type.Integer(), { description: 'Rows removed per table' }),
  usersLeftWithoutGrants: Type.Array(Uuid, { description: 'Users whose only grant pointed at this athlete; disable them if they should not sign in any more' }),
});

export const OidcInfo = Type.Object({ enabled: Type.Boolean(), name: Type.String() });
export const OidcCallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: true },
);
