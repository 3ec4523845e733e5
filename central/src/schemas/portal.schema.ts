import Type from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

export const SessionFilter = Type.Object(
  {
    clubId: Type.Optional(Uuid),
    hubId: Type.Optional(Uuid),
    before: Type.Optional(UnixMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'default 50' })),
  },
  { additionalProperties: false },
);

export const Session = Type.Object({
  id: Uuid,
  clubId: Uuid,
  hubId: Uuid,
  localId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  startedAt: UnixMs,
  endedAt: Nullable(UnixMs),
  notes: Type.String(),
});

export const ReadingCount = Type.Object({
  athleteId: Nullable(Uuid),
  kind: Type.String({ description: 'hr, gnss, imu or battery' }),
  readings: Type.Integer(),
  firstT: UnixMs,
  lastT: UnixMs,
});

export const SessionDetail = Type.Object({
  ...Session.properties,
  drills: Type.Array(Type.Object({ id: Uuid, name: Type.String(), startedAt: UnixMs, endedAt: Nullable(UnixMs) })),
  rpe: Type.Array(Type.Object({ athleteId: Uuid, rpe: Type.Number(), durationMin: Type.Number(), enteredAt: UnixMs })),
  readings: Type.Array(ReadingCount, { description: 'Readings the hub recorded while the session ran, per athlete and kind' }),
});

export const TimeWindow = Type.Object({ from: Type.Optional(UnixMs), to: Type.Optional(UnixMs) }, { additionalProperties: false });

export const ReadingQuery = Type.Object(
  {
    kind: Type.Union([Type.Literal('hr'), Type.Literal('gnss'), Type.Literal('imu'), Type.Literal('battery')]),
    from: UnixMs,
    to: UnixMs,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'default 10000' })),
  },
  { additionalProperties: false },
);

export const Reading = Type.Object(
  { seq: Type.Integer(), t: UnixMs, sensorId: Type.String() },
  { additionalProperties: true, description: 'The reading with its fields (bpm and rr, lat/lon/speed/hdop/sats, playerLoad, or pct)' },
);

export const AuditEntry = Type.Object({ id: Type.Integer(), at: UnixMs, actor: Type.String(), action: Type.String(), target: Nullable(Type.String()), detail: Type.Unknown() });

export const LoginInput = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const LoginResult = Type.Object({
  token: Type.String({ description: 'Send as Authorization: Bearer …' }),
  expiresAt: UnixMs,
  user: Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) }),
});
export const Me = Type.Object({ userId: Uuid, email: Type.String(), roles: Type.Array(Type.String()) });

export const Health = Type.Object({ status: Type.Literal('ok'), checkedAt: UnixMs });
