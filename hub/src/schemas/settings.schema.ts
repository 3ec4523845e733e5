/** Operator settings: one set of field schemas drives validation, defaults, the stored values and /docs. */
import Type, { type Static } from 'typebox';
import { DEFAULT_GNSS_CONVENTIONS, DEFAULT_ZONE_MODEL } from '@touchline/core/metrics';

export const DEFAULT_ZONE_BOUNDS: readonly number[] = DEFAULT_ZONE_MODEL.bounds;
export const DEFAULT_SPEED_THRESHOLDS = { hsr: DEFAULT_GNSS_CONVENTIONS.highSpeedRunningSpeed, sprint: DEFAULT_GNSS_CONVENTIONS.sprintSpeed } as const;

// Each field is built by a function so the full settings can carry defaults while the PATCH body
// carries none: the validator fills in defaults, and a partial change must not reset the rest.
type Options = { default?: unknown };

const clubName = (options: Options = {}) => Type.String({ maxLength: 80, description: 'Club name shown on the wall screen; empty shows none', ...options });
const teamName = (options: Options = {}) => Type.String({ maxLength: 80, description: 'Team or squad name shown on the wall screen; empty shows none', ...options });
// The same ranges as an athlete's own zones and thresholds (athlete.schema.ts), so a default can
// always be copied onto an athlete and back.
const zones = (options: Options = {}) =>
  Type.Array(Type.Number({ minimum: 30, maximum: 100 }), {
    minItems: 1,
    maxItems: 9,
    description: 'Default lower bound of each HR zone in % of HRmax, strictly ascending, for athletes without their own',
    ...options,
  });
const thresholds = (options: Options = {}) =>
  Type.Object(
    { hsr: Type.Number({ minimum: 2, maximum: 12 }), sprint: Type.Number({ minimum: 3, maximum: 13 }) },
    { additionalProperties: false, description: 'Default high-speed running and sprint thresholds in m/s (sprint above HSR), for athletes without their own', ...options },
  );

export const HubSettings = Type.Object(
  {
    clubName: clubName({ default: '' }),
    teamName: teamName({ default: '' }),
    zones: zones({ default: [...DEFAULT_ZONE_BOUNDS] }),
    thresholds: thresholds({ default: { ...DEFAULT_SPEED_THRESHOLDS } }),
  },
  { additionalProperties: false, $id: 'HubSettings' },
);

export type HubSettings = Static<typeof HubSettings>;

export const SettingsPatch = Type.Object(
  { clubName: Type.Optional(clubName()), teamName: Type.Optional(teamName()), zones: Type.Optional(zones()), thresholds: Type.Optional(thresholds()) },
  { additionalProperties: false },
);

export type SettingsPatch = Static<typeof SettingsPatch>;
