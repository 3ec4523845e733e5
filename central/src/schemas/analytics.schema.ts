/** Shapes of the analytics API: training load, HRV, session figures and reports, workouts. */
import Type, { type Static } from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

export const MEASURES = ['trimp', 'srpe', 'distance', 'hsr', 'playerLoad'] as const;
export type Measure = (typeof MEASURES)[number];

const day = (description = "UTC day, 'YYYY-MM-DD'") => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Day = day();
const MeasureParam = Type.Union(
  [Type.Literal('trimp'), Type.Literal('srpe'), Type.Literal('distance'), Type.Literal('hsr'), Type.Literal('playerLoad')],
  { description: 'trimp (Banister), srpe (RPE × min, the default), distance (m), hsr (high-speed running m) or playerLoad' },
);

export const DayRange = Type.Object(
  {
    from: Type.Optional(day('First day (default: 27 days before `to`)')),
    to: Type.Optional(day('Last day (default: today, UTC)')),
  },
  { additionalProperties: false },
);

export const LoadQuery = Type.Object(
  { from: Type.Optional(day('First day (default: 27 days before `to`)')), to: Type.Optional(day('Last day (default: today, UTC)')), measure: Type.Optional(MeasureParam) },
  { additionalProperties: false },
);

export const CompareQuery = Type.Object(
  {
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    measure: Type.Optional(MeasureParam),
    athletes: Type.String({ minLength: 36, maxLength: 37 * 30, description: 'Comma-separated athlete ids (at most 30)' }),
    versus: Type.Optional(Type.Union([Type.Literal('team'), Type.Literal('position')], { description: "Add the mean of each athlete's team, or of their position in the team" })),
  },
  { additionalProperties: false },
);

const Num = Nullable(Type.Number());

/**
 * A number or null as one JSON Schema type list rather than a union: the serialiser
 * (fast-json-stringify) writes a type list with a typeof check, a union by running a validator per
 * value, and a team's season has tens of thousands of these. The OpenAPI document shows it as
 * `nullable`.
 */
const NumberOrNull = (options: { description?: string } = {}) => Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });

export const LoadDay = Type.Object({
  day: Day,
  load: Type.Number({ description: "The day's load in the measure, to 0.01; 0 on days without training" }),
  acwr: NumberOrNull({ description: 'Coupled rolling 7/28-day acute:chronic ratio, to 0.001' }),
  acwrEwma: NumberOrNull({ description: 'EWMA acute:chronic ratio (7/28 days), to 0.001' }),
  monotony: NumberOrNull({ description: "Foster's monotony over 7 days, to 0.001" }),
  strain: NumberOrNull({ description: 'Weekly load × monotony, to 0.01' }),
  ctl: Type.Number({ description: 'Chronic training load (42-day), to 0.01' }),
  atl: Type.Number({ description: 'Acute training load (7-day), to 0.01' }),
  tsb: Type.Number({ description: 'Training stress balance (CTL − ATL of the day before), to 0.01' }),
});

export const AthleteLoad = Type.Object({ athleteId: Uuid, measure: MeasureParam, days: Type.Array(LoadDay) });

export const TeamLoad = Type.Object({
  teamId: Uuid,
  measure: MeasureParam,
  athletes: Type.Array(
    Type.Object({ athleteId: Uuid, name: Type.String(), number: Nullable(Type.Integer()), position: Nullable(Type.String()), days: Type.Array(LoadDay) }),
  ),
  mean: Type.Array(LoadDay, { description: "Load models over the team's mean daily load" }),
});

export const HrvDay = Type.Object({ day: Day, rmssdMs: Type.Number(), beats: Type.Integer() });

const Figures = {
  durationS: Num,
  hrMean: Num,
  hrMax: Num,
  trimp: Num,
  srpe: Num,
  distanceM: Num,
  hsrM: Num,
  sprintM: Num,
  playerLoad: Num,
};

export const AthleteSession = Type.Object({
  sessionId: Uuid,
  name: Type.String(),
  kind: Type.String(),
  startedAt: UnixMs,
  endedAt: Nullable(UnixMs),
  ...Figures,
});

const DrillAthlete = Type.Object({
  athleteId: Uuid,
  name: Type.String(),
  durationS: Num,
  hrMean: Num,
  trimp: Num,
  distanceM: Num,
  hsrM: Num,
  playerLoad: Num,
});

export const SessionReport = Type.Object({
  session: Type.Object({ id: Uuid, name: Type.String(), kind: Type.String(), clubId: Uuid, startedAt: UnixMs, endedAt: Nullable(UnixMs) }),
  athletes: Type.Array(Type.Object({ athleteId: Uuid, name: Type.String(), ...Figures })),
  team: Type.Object(Figures, { description: 'Mean of each figure over the athletes that have it' }),
  drills: Type.Array(Type.Object({ id: Uuid, name: Type.String(), startedAt: UnixMs, endedAt: Nullable(UnixMs), athletes: Type.Array(DrillAthlete) })),
});

export const Comparison = Type.Object({
  measure: MeasureParam,
  series: Type.Array(
    Type.Object({
      label: Type.String(),
      kind: Type.Union([Type.Literal('athlete'), Type.Literal('team'), Type.Literal('position')]),
      id: Type.String({ description: 'Athlete or team id; the position name for a position' }),
      days: Type.Array(Type.Object({ day: Day, load: Type.Number() })),
    }),
  ),
});

export const Workout = Type.Object({
  id: Uuid,
  filename: Type.String(),
  format: Type.String({ description: 'fit, gpx, tcx or csv' }),
  sport: Type.String(),
  startedAt: UnixMs,
  durationS: Type.Number(),
  distanceM: Num,
  hrMean: Num,
  hrMax: Num,
  trimp: Num,
  uploadedAt: UnixMs,
});

export const WorkoutUploadQuery = Type.Object(
  { filename: Type.String({ minLength: 1, maxLength: 255, description: 'The file\'s name; its extension helps tell the format' }) },
  { additionalProperties: false },
);

export type LoadDay = Static<typeof LoadDay>;
export type AthleteLoad = Static<typeof AthleteLoad>;
export type TeamLoad = Static<typeof TeamLoad>;
export type HrvDay = Static<typeof HrvDay>;
export type AthleteSession = Static<typeof AthleteSession>;
export type SessionReport = Static<typeof SessionReport>;
export type Comparison = Static<typeof Comparison>;
export type Workout = Static<typeof Workout>;
