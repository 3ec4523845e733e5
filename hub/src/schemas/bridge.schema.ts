/**
 * A firmware bridge's status as it publishes it, retained, on touchline/v1/bridges/{bridgeId}/status
 * (firmware-bridge/src/bridge.ts): its adapters, each adapter's devices with state, RSSI and battery,
 * and each adapter's outbox and spool. One shape validates the MQTT message and describes
 * GET /api/bridges. Unknown fields are allowed, so a newer bridge can report more to an older hub.
 */
import Type, { type Static } from 'typebox';

const Count = Type.Integer({ minimum: 0 });
const Text = (maxLength: number) => Type.String({ maxLength });

const Device = Type.Object({
  sensorId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
  state: Type.Union(['discovered', 'connecting', 'streaming', 'silent', 'reconnecting', 'failed'].map((s) => Type.Literal(s))),
  name: Type.Optional(Text(120)),
  via: Type.Optional(Text(200)),
  rssi: Type.Optional(Type.Number({ minimum: -128, maximum: 127, description: 'dBm' })),
  batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  lastSeenAt: Type.Optional(Type.Integer({ description: 'Unix ms' })),
  readings: Count,
  rejected: Count,
  problem: Type.Optional(Text(500)),
});

const Spool = Type.Object({
  policy: Type.Union([Type.Literal('drop-oldest'), Type.Literal('drop-newest')], { description: 'What the bridge does when its disk buffer is full' }),
  maxBytes: Count,
  bytes: Count,
  records: Type.Integer({ description: 'Messages on disk waiting for the hub' }),
  spooled: Count,
  replayed: Count,
  droppedWhenFull: Count,
  corruptRecords: Count,
});

const Adapter = Type.Object({
  id: Text(64),
  transport: Text(32),
  state: Type.Union([Type.Literal('stopped'), Type.Literal('starting'), Type.Literal('running'), Type.Literal('unavailable')]),
  detail: Type.Optional(Text(1000)),
  capabilities: Type.Array(Text(32), { maxItems: 16 }),
  version: Text(40),
  devices: Type.Array(Device, { maxItems: 100 }),
  omittedDevices: Count,
  counters: Type.Record(Type.String(), Type.Number()),
  readings: Type.Object({ accepted: Count, rejected: Type.Record(Type.String(), Count), droppedRr: Count }),
  outbox: Type.Object({
    connected: Type.Boolean(),
    lastError: Type.Optional(Text(500)),
    published: Count,
    acknowledged: Count,
    inflight: Count,
    queued: Type.Integer(),
    spool: Spool,
  }),
});

export const BridgeStatus = Type.Object({
  bridgeId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
  version: Text(40),
  t: Type.Integer({ description: 'When the bridge took this status, Unix ms' }),
  state: Type.Union([Type.Literal('running'), Type.Literal('stopped'), Type.Literal('offline')], { description: '`offline` is the bridge\'s last will: it vanished without saying goodbye' }),
  startedAt: Type.Integer(),
  hub: Type.Object({ url: Text(300) }),
  adapters: Type.Array(Adapter, { maxItems: 16 }),
});
export type BridgeStatus = Static<typeof BridgeStatus>;

export const BridgeEntry = Type.Object({
  bridgeId: Type.String(),
  receivedAt: Type.Integer({ description: 'When the hub received this status, Unix ms' }),
  online: Type.Boolean({ description: 'Running and heard from within the last 15 s' }),
  status: BridgeStatus,
});
export type BridgeEntry = Static<typeof BridgeEntry>;

export const BridgeList = Type.Object({
  bridges: Type.Array(BridgeEntry),
  /** Status messages refused as malformed, since the hub started. */
  rejected: Count,
});
