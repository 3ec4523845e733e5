/**
 * The hub's configuration: `config/hub.yaml`, overridden key by key by environment variables named
 * `TOUCHLINE_<SECTION>_<KEY>` (e.g. `TOUCHLINE_HTTP_PORT=8081`). Validated once at start-up.
 */
import Type, { type Static } from 'typebox';

const Port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback });

export const HubConfigSchema = Type.Object(
  {
    hub: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 80, default: 'Touchline hub' }),
        dataDir: Type.String({ minLength: 1, default: './data', description: 'Folder for the SQLite file.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Port(8080),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Port(1883),
        maxPayloadBytes: Type.Integer({ minimum: 64, maximum: 1_048_576, default: 16_384 }),
        maxMessagesPerSecondPerClient: Type.Integer({ minimum: 1, default: 400 }),
      },
      { additionalProperties: false, default: {} },
    ),
    demo: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Allows anonymous device publish. Never on a club network.' }),
        athletes: Type.Integer({ minimum: 1, maximum: 60, default: 24 }),
      },
      { additionalProperties: false, default: {} },
    ),
    engine: Type.Object(
      {
        staleAfterSeconds: Type.Number({ exclusiveMinimum: 0, default: 5 }),
        lostAfterSeconds: Type.Number({ exclusiveMinimum: 0, default: 30 }),
      },
      { additionalProperties: false, default: {} },
    ),
    live: Type.Object(
      {
        maxUpdatesPerSecondPerAthlete: Type.Number({ exclusiveMinimum: 0, maximum: 50, default: 4 }),
        maxBufferedBytesPerClient: Type.Integer({ minimum: 4096, default: 262_144 }),
      },
      { additionalProperties: false, default: {} },
    ),
    store: Type.Object(
      {
        commitIntervalMs: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
        blockSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 30 }),
        maxDiskMegabytes: Type.Integer({ minimum: 16, default: 8192 }),
        maxPendingReadings: Type.Integer({
          minimum: 1000,
          default: 50_000,
          description: 'While the disk refuses writes, at most this many readings (about 260 bytes each) wait in memory for it; the oldest beyond are given up.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    uplink: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Forward every reading, athlete and session to the central service.' }),
        centralUrl: Type.String({ default: '', pattern: '^(https?://[^\\s]+)?$', description: 'Base URL of central, e.g. https://central.example.org' }),
        enrolmentCode: Type.String({ default: '', maxLength: 64, description: 'One-time code from head office; exchanged for the credential on first contact.' }),
        credentialFile: Type.String({ default: '', description: 'Where the credential is kept; empty means <dataDir>/uplink-credential.json.' }),
        batchRows: Type.Integer({ minimum: 100, maximum: 200_000, default: 20_000, description: 'Readings per batch (whole blocks; halved by itself if central says it is too large).' }),
        intervalSeconds: Type.Number({ minimum: 0.05, maximum: 3600, default: 5, description: 'Pause between checks when nothing waits.' }),
        backoffBaseMs: Type.Integer({ minimum: 10, default: 1000 }),
        backoffCapMs: Type.Integer({ minimum: 100, default: 300_000 }),
        requestTimeoutSeconds: Type.Number({ minimum: 1, maximum: 600, default: 60 }),
      },
      { additionalProperties: false, default: {} },
    ),
    auth: Type.Object(
      {
        loginAttemptsPerMinute: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
        sessionHours: Type.Number({ exclusiveMinimum: 0, default: 12 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type HubConfig = Static<typeof HubConfigSchema>;
