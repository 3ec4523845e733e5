/** Sessions, drills, markers, session RPE and the session report. */
import Type, { type Static } from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const At = Type.Integer({ minimum: 0, description: 'When it happened (Unix ms); leave out for now. Lets staff record a tap they made late; never in the future.' });
const Name = Type.String({ minLength: 1, maxLength: 80 });

export const SessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const DrillParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), drillId: Type.String({ minLength: 1, maxLength: 64 }) });
export const AthleteParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), athleteId: Type.String({ minLength: 1, maxLength: 64 }) });

export const SessionListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'At most this many (default 50)' })),
  before: Type.Optional(Type.Integer({ description: 'Only sessions started before this (Unix ms), to page back' })),
});

export const SessionStart = Type.Object(
  { name: Name, kind: Type.Union([Type.Literal('training'), Type.Literal('match')]), at: Type.Optional(At) },
  { additionalProperties: false },
);

export const SessionStop = Type.Object({ at: Type.Optional(At) }, { additionalProperties: false });

export const SessionPatch = Type.Object(
  { name: Type.Optional(Name), notes: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false, minProperties: 1 },
);

export const DrillStart = Type.Object({ name: Name, at: Type.Optional(At) }, { additionalProperties: false });

export const DrillEnd = Type.Object({ at: Type.Optional(At) }, { additionalProperties: false });

export const MarkerInput = Type.Object({ label: Type.String({ minLength: 1, maxLength: 80 }), t: Type.Optional(At) }, { additionalProperties: false });

export const RpeInput = Type.Object(
  {
    rpe: Type.Number({ minimum: 0, maximum: 10, description: 'Session RPE on the CR-10 scale (Foster et al. 2001), 0 rest … 10 maximal' }),
    durationMin: Type.Optional(Type.Number({ minimum: 0, maximum: 1440, description: 'Minutes the athlete took part; defaults to the session length' })),
  },
  { additionalProperties: false },
);

export const Drill = Type.Object({ id: Type.String(), name: Type.String(), startedAt: Type.Integer(), endedAt: Nullable(Type.Integer()) });

export const Marker = Type.Object({ id: Type.String(), t: Type.Integer(), label: Type.String() });

export const SessionRpe = Type.Object({
  athleteId: Type.String(),
  rpe: Type.Number(),
  durationMin: Type.Number(),
  load: Type.Number({ description: 'sRPE load, AU: RPE × minutes' }),
  enteredAt: Type.Integer(),
});

export const Session = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('training'), Type.Literal('match')]),
  startedAt: Type.Integer(),
  endedAt: Nullable(Type.Integer()),
  notes: Type.String(),
  drills: Type.Array(Drill),
  currentDrill: Nullable(Drill),
  markers: Type.Array(Marker),
  rpe: Type.Array(SessionRpe),
});

export const CurrentSession = Type.Object({ session: Nullable(Session) });

// Report shapes. Numbers, not integers, throughout: the team mean of a count is a fraction.

export const HrMetrics = Type.Object({
  samples: Type.Number(),
  durationS: Type.Number({ description: 'Integrated time; dropouts longer than 10 s are left out' }),
  meanBpm: Nullable(Type.Number()),
  maxBpm: Nullable(Type.Number()),
  secondsInZone: Type.Array(Type.Number(), { description: 'Index 0 is below zone 1, index n is zone n' }),
  banisterTrimp: Type.Number(),
  edwardsTrimp: Type.Number(),
  energyKcal: Nullable(Type.Number({ description: "Keytel et al. 2005; null without the athlete's birth year" })),
});

export const HrvMetrics = Type.Object({
  beats: Type.Number({ description: 'RR intervals stored in the window' }),
  correctedBeats: Type.Number({ description: 'Intervals the Lipponen–Tarvainen correction changed' }),
  meanRrMs: Type.Number(),
  sdnnMs: Type.Number(),
  rmssdMs: Type.Number(),
  lnRmssd: Nullable(Type.Number()),
  pnn50Pct: Type.Number(),
  sd1Ms: Type.Number(),
  sd2Ms: Type.Number(),
});

export const SpeedZoneMetrics = Type.Object({ name: Type.String(), fromSpeed: Type.Number(), toSpeed: Nullable(Type.Number()), distanceM: Type.Number(), durationS: Type.Number() });

export const GnssMetrics = Type.Object({
  fixes: Type.Number({ description: 'Fixes used' }),
  durationS: Type.Number(),
  distanceM: Type.Number(),
  maxSpeed: Type.Number({ description: 'm/s' }),
  highSpeedRunningM: Type.Number(),
  highSpeedRunningEfforts: Type.Number(),
  sprintM: Type.Number(),
  sprintEfforts: Type.Number(),
  accelerations: Type.Number(),
  decelerations: Type.Number(),
  averageMetabolicPower: Nullable(Type.Number({ description: 'W/kg' })),
  metabolicWorkJPerKg: Type.Number(),
  equivalentDistanceM: Type.Number(),
  speedZones: Type.Array(SpeedZoneMetrics),
});

export const PlayerLoadMetrics = Type.Object({ playerLoad: Type.Number({ description: 'AU' }), durationS: Type.Number(), perMinute: Nullable(Type.Number()) });

export const WindowMetrics = Type.Object({
  hr: Nullable(HrMetrics),
  hrv: Nullable(HrvMetrics),
  gnss: Nullable(GnssMetrics),
  playerLoad: Nullable(PlayerLoadMetrics),
});

export const WindowTotals = Type.Object({
  hr: Nullable(Type.Pick(HrMetrics, ['durationS', 'secondsInZone', 'banisterTrimp', 'edwardsTrimp', 'energyKcal'])),
  gnss: Nullable(
    Type.Pick(GnssMetrics, ['durationS', 'distanceM', 'highSpeedRunningM', 'highSpeedRunningEfforts', 'sprintM', 'sprintEfforts', 'accelerations', 'decelerations', 'metabolicWorkJPerKg', 'equivalentDistanceM']),
  ),
  playerLoad: Nullable(Type.Pick(PlayerLoadMetrics, ['playerLoad', 'durationS'])),
});

const Split = { drillId: Type.String(), name: Type.String(), from: Type.Integer(), to: Type.Integer() };

export const RpeMetrics = Type.Object({ rpe: Type.Number(), durationMin: Type.Number(), load: Type.Number() });

export const AthleteReport = Type.Object({
  athleteId: Type.String(),
  name: Type.String(),
  number: Nullable(Type.Integer()),
  hrZoneLowerBoundsBpm: Type.Array(Type.Number()),
  session: WindowMetrics,
  drills: Type.Array(Type.Object({ ...Split, metrics: WindowMetrics })),
  rpe: Nullable(RpeMetrics),
});

export const TeamWindow = Type.Object({
  athletes: Type.Integer({ description: 'Athletes with readings in the window' }),
  mean: WindowMetrics,
  total: WindowTotals,
});

export const SessionReport = Type.Object({
  session: Session,
  from: Type.Integer(),
  to: Type.Integer({ description: 'The session end, or now while it runs' }),
  generatedAt: Type.Integer(),
  athletes: Type.Array(AthleteReport),
  team: Type.Object({
    session: TeamWindow,
    drills: Type.Array(Type.Object({ ...Split, team: TeamWindow })),
    rpe: Nullable(Type.Object({ athletes: Type.Integer(), mean: RpeMetrics, total: Type.Pick(RpeMetrics, ['durationMin', 'load']) })),
  }),
});

export type HrMetrics = Static<typeof HrMetrics>;
export type HrvMetrics = Static<typeof HrvMetrics>;
export type GnssMetrics = Static<typeof GnssMetrics>;
export type PlayerLoadMetrics = Static<typeof PlayerLoadMetrics>;
export type WindowMetrics = Static<typeof WindowMetrics>;
export type WindowTotals = Static<typeof WindowTotals>;
export type RpeMetrics = Static<typeof RpeMetrics>;
export type AthleteReport = Static<typeof AthleteReport>;
export type TeamWindow = Static<typeof TeamWindow>;
export type SessionReport = Static<typeof SessionReport>;
