import Type from 'typebox';

export const SensorIdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }) });

export const Sensor = Type.Object(
  {
    id: Type.String(),
    label: Type.Union([Type.String(), Type.Null()]),
    streams: Type.Array(Type.String()),
    firstSeen: Type.Integer(),
    lastSeen: Type.Integer(),
    batteryPct: Type.Union([Type.Integer(), Type.Null()]),
    athleteId: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Sensor' },
);

export const PairBody = Type.Object({ athleteId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const CredentialInput = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 80 })),
    sensorIds: Type.Array(Type.String({ pattern: '^([A-Za-z0-9_.:-]{1,64}|\\*)$' }), { minItems: 1, maxItems: 200, description: 'Sensors this device may publish for; "*" for any (a gateway such as the firmware bridge)' }),
  },
  { additionalProperties: false },
);

export const Credential = Type.Object({
  id: Type.String(),
  username: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  sensorIds: Type.Array(Type.String()),
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const NewCredential = Type.Object({ ...Credential.properties, password: Type.String({ description: 'Shown once; only a hash is kept.' }) });
