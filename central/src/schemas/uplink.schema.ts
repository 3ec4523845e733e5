/**
 * The uplink contract between a hub and central (docs/uplink.md): one schema drives central's
 * validation and /docs, and the hub imports the types, so the two cannot drift apart.
 *
 * A batch carries a contiguous run of one stream's sequence numbers, `fromSeq..toSeq`, as groups
 * of readings (one group per stored block: one sensor, athlete and kind); reading i of a group has
 * sequence number `firstSeq + i`. Alongside travel the athletes and sessions the hub added or
 * changed, keyed by the hub's own ids, which central upserts.
 */
import Type, { type Static } from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

/** The ids a hub gives its athletes, sessions and sensors. */
const LocalId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

export const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

const StreamName = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z]+(:[A-Za-z0-9_-]{1,64})?$', description: 'e.g. samples:<store id>' });

const MAX_READINGS_PER_GROUP = 100_000;

const HrReading = Type.Object(
  { t: UnixMs, bpm: Type.Number({ minimum: 0, maximum: 300 }), rr: Type.Array(Type.Number({ minimum: 0, maximum: 10_000 }), { maxItems: 64 }) },
  { additionalProperties: false },
);
const GnssReading = Type.Object(
  {
    t: UnixMs,
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    hdop: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    sats: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  },
  { additionalProperties: false },
);
const ImuReading = Type.Object({ t: UnixMs, playerLoad: Type.Number({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false });
const BatteryReading = Type.Object({ t: UnixMs, pct: Type.Number({ minimum: 0, maximum: 100 }) }, { additionalProperties: false });

const group = <K extends string, R extends Type.TSchema>(kind: K, reading: R) =>
  Type.Object(
    {
      firstSeq: Seq,
      sensorId: LocalId,
      athleteId: Nullable(LocalId),
      kind: Type.Literal(kind),
      readings: Type.Array(reading, { minItems: 1, maxItems: MAX_READINGS_PER_GROUP }),
    },
    { additionalProperties: false },
  );

export const SampleGroup = Type.Union([group('hr', HrReading), group('gnss', GnssReading), group('imu', ImuReading), group('battery', BatteryReading)]);

export const UplinkAthlete = Type.Object(
  {
    id: LocalId,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    number: Nullable(Type.Integer({ minimum: 0, maximum: 9999 })),
    position: Nullable(Type.String({ maxLength: 80 })),
    group: Nullable(Type.String({ maxLength: 80 })),
    hrMax: Type.Integer({ minimum: 60, maximum: 300 }),
    hrRest: Type.Integer({ minimum: 20, maximum: 200 }),
    sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
    massKg: Type.Number({ minimum: 10, maximum: 300 }),
    birthYear: Nullable(Type.Integer({ minimum: 1900, maximum: 2100 })),
    zones: Nullable(Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { maxItems: 16 })),
    thresholds: Nullable(Type.Object({ hsr: Type.Number(), sprint: Type.Number() }, { additionalProperties: false })),
    archived: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const UplinkSession = Type.Object(
  {
    id: LocalId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.String({ minLength: 1, maxLength: 40 }),
    startedAt: UnixMs,
    endedAt: Nullable(UnixMs),
    notes: Type.String({ maxLength: 20_000 }),
    drills: Type.Array(
      Type.Object({ id: LocalId, name: Type.String({ minLength: 1, maxLength: 200 }), startedAt: UnixMs, endedAt: Nullable(UnixMs) }, { additionalProperties: false }),
      { maxItems: 500 },
    ),
    rpe: Type.Array(
      Type.Object(
        { athleteId: LocalId, rpe: Type.Number({ minimum: 0, maximum: 10 }), durationMin: Type.Number({ minimum: 0, maximum: 1440 }), enteredAt: UnixMs },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const UplinkSamples = Type.Object(
  { stream: StreamName, fromSeq: Seq, toSeq: Seq, groups: Type.Array(SampleGroup, { minItems: 1 }) },
  { additionalProperties: false },
);

export const UplinkBatch = Type.Object(
  {
    hubId: Uuid,
    clubId: Uuid,
    athletes: Type.Array(UplinkAthlete, { maxItems: 10_000 }),
    sessions: Type.Array(UplinkSession, { maxItems: 10_000 }),
    samples: Nullable(UplinkSamples),
  },
  { additionalProperties: false, description: 'Sent gzip-compressed (Content-Encoding: gzip) with the hub credential as Bearer token' },
);

export const UplinkAck = Type.Object({
  stream: Nullable(StreamName),
  ackedSeq: Type.Integer({ minimum: 0, description: 'Every sequence number up to this one is stored centrally: the hub may advance its cursor here' }),
  stored: Type.Integer({ minimum: 0, description: 'Readings of this batch newly stored' }),
  duplicates: Type.Integer({ minimum: 0, description: 'Readings of this batch central already held' }),
  erased: Type.Optional(
    Type.Object(
      {
        athletes: Type.Array(LocalId, { description: 'Hub ids of the athletes this batch names whom head office erased at central' }),
        readings: Type.Integer({ minimum: 0, description: 'Readings of theirs in this batch that central dropped (counted as held: the ack moves past them)' }),
        rpe: Type.Integer({ minimum: 0, description: 'RPE entries of theirs in this batch that central dropped' }),
      },
      {
        description:
          "Only when the batch names athletes head office erased (DELETE /api/athletes/:id). Central keeps nothing of them and never will from this hub; the hub keeps its own copy",
      },
    ),
  ),
});

export const EnrolRequest = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 80, description: "The hub's own name" }),
    secret: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{43,128}$',
        description: 'A random secret the hub chose (at least 256 bits, base64url). With it, a retried enrolment whose answer was lost succeeds again; without it central picks one',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EnrolResponse = Type.Object({
  hubId: Uuid,
  clubId: Uuid,
  credential: Type.String({ description: 'Shown once: the hub sends it as `Authorization: Bearer …`' }),
});

export type UplinkBatch = Static<typeof UplinkBatch>;
export type UplinkSamples = Static<typeof UplinkSamples>;
export type SampleGroup = Static<typeof SampleGroup>;
export type UplinkAthlete = Static<typeof UplinkAthlete>;
export type UplinkSession = Static<typeof UplinkSession>;
export type UplinkAck = Static<typeof UplinkAck>;
export type EnrolRequest = Static<typeof EnrolRequest>;
export type EnrolResponse = Static<typeof EnrolResponse>;
