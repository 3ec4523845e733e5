import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AthleteInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    number: Nullable(Type.Integer({ minimum: 0, maximum: 999 })),
    position: Nullable(Type.String({ maxLength: 40 })),
    group: Nullable(Type.String({ maxLength: 40 })),
    hrMax: Type.Integer({ minimum: 120, maximum: 240, description: 'Maximum heart rate, bpm' }),
    hrRest: Type.Integer({ minimum: 25, maximum: 120, description: 'Resting heart rate, bpm' }),
    sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
    massKg: Type.Number({ minimum: 25, maximum: 200 }),
    birthYear: Nullable(Type.Integer({ minimum: 1900, maximum: 2100 })),
    zones: Nullable(Type.Array(Type.Number({ minimum: 30, maximum: 100 }), { minItems: 1, maxItems: 9, description: 'Lower bound of each HR zone in % of HRmax, ascending (default 50, 60, 70, 80, 90)' })),
    thresholds: Nullable(Type.Object({ hsr: Type.Number({ minimum: 2, maximum: 12 }), sprint: Type.Number({ minimum: 3, maximum: 13 }) }, { description: 'Speed thresholds, m/s' })),
  },
  { additionalProperties: false },
);

export const Athlete = Type.Object({ id: Type.String(), ...AthleteInput.properties }, { $id: 'Athlete' });

export const AthletePatch = Type.Partial(AthleteInput, { additionalProperties: false });
