/**
 * Alert rules and alerts. Each rule kind has its own params shape; the service checks params
 * against the shape of the rule's kind (a PATCH cannot name the kind), so one table of schemas
 * here is the single definition for validation, types and /docs.
 */
import Type, { type Static } from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// Enums rather than unions of literals, so a wrong value is reported once with the allowed values.
const LoadMetricSchema = Type.Enum(['distance', 'high-speed-running', 'sprint-efforts', 'player-load', 'banister-trimp'], {
  description: 'Session total: distance (m), high-speed running (m), sprint efforts, PlayerLoad or Banister TRIMP',
});
export type LoadMetric = Static<typeof LoadMetricSchema>;

export const RULE_PARAMS = {
  'hr-above': Type.Object(
    {
      percentHrMax: Type.Number({ minimum: 50, maximum: 110, description: 'Threshold in % of the athlete\'s HRmax' }),
      seconds: Type.Integer({ minimum: 0, maximum: 3600, description: 'How long HR must stay above it, in seconds of reading time' }),
    },
    { additionalProperties: false },
  ),
  'sensor-lost': Type.Object({}, { additionalProperties: false }),
  'battery-low': Type.Object({ percent: Type.Integer({ minimum: 1, maximum: 99, description: 'Raised when a paired sensor reports less than this' }) }, { additionalProperties: false }),
  'speed-above': Type.Object({ speed: Type.Number({ minimum: 1, maximum: 15, description: 'm/s' }) }, { additionalProperties: false }),
  'load-reached': Type.Object(
    {
      metric: LoadMetricSchema,
      value: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    },
    { additionalProperties: false },
  ),
  'store-full': Type.Object({}, { additionalProperties: false }),
};

export type RuleKind = keyof typeof RULE_PARAMS;
export const RULE_KINDS = Object.keys(RULE_PARAMS) as RuleKind[];
export type RuleParams<K extends RuleKind> = Static<(typeof RULE_PARAMS)[K]>;

const RuleKindSchema = Type.Enum(['hr-above', 'sensor-lost', 'battery-low', 'speed-above', 'load-reached', 'store-full']);

const PARAMS_DOC = 'Depends on kind: hr-above {percentHrMax, seconds}; battery-low {percent}; speed-above {speed}; load-reached {metric, value}; sensor-lost and store-full {}.';
const ParamsSchema = Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]), { description: PARAMS_DOC });

export const AlertRuleInput = Type.Object(
  { kind: RuleKindSchema, params: ParamsSchema, enabled: Type.Optional(Type.Boolean({ default: true })) },
  { additionalProperties: false },
);

export const AlertRulePatch = Type.Object({ params: Type.Optional(ParamsSchema), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export const AlertRule = Type.Object(
  {
    id: Type.String(),
    kind: RuleKindSchema,
    params: ParamsSchema,
    enabled: Type.Boolean(),
    createdAt: Type.Integer(),
    summary: Type.String({ description: 'The rule in words, e.g. "HR above 95 % HRmax for 30 s"' }),
  },
  { $id: 'AlertRule' },
);

export const Alert = Type.Object(
  {
    id: Type.String(),
    ruleId: Nullable(Type.String()),
    kind: RuleKindSchema,
    athleteId: Nullable(Type.String()),
    sensorId: Nullable(Type.String()),
    sessionId: Nullable(Type.String()),
    message: Type.String(),
    raisedAt: Type.Integer({ description: 'Unix ms' }),
    acknowledgedAt: Nullable(Type.Integer()),
    acknowledgedBy: Nullable(Type.String()),
  },
  { $id: 'Alert' },
);

export const AlertQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only alerts nobody has acknowledged yet' })),
  sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Newest first; default 100' })),
});

export type AlertView = Static<typeof Alert>;
export type AlertRuleView = Static<typeof AlertRule>;
