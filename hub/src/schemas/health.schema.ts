/** The health report: one shape for GET /api/health, its /docs entry and the /metrics collector. */
import Type, { type Static } from 'typebox';
import { UplinkStatus } from '../uplink/uplink-status.schema.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SIGNAL_STATES = ['none', 'live', 'stale', 'lost'] as const;
const Signal = Type.Union([Type.Literal('none'), Type.Literal('live'), Type.Literal('stale'), Type.Literal('lost')]);

const PerSecond = Type.Object(
  { last10s: Type.Number(), last1m: Type.Number() },
  { description: 'Average per second over the last 10 s and the last minute (or since start, when the hub is younger)' },
);

const Count = Type.Integer({ minimum: 0 });

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('warning')]),
    warnings: Type.Array(Type.String(), { description: 'What needs attention, and what to do about it' }),
    checkedAt: Type.Integer({ description: 'Unix ms' }),
    hub: Type.Object({
      name: Type.String(),
      version: Type.String(),
      node: Type.String({ description: 'Node.js runtime version' }),
      startedAt: Type.Integer({ description: 'Unix ms' }),
    }),
    box: Type.Object(
      {
        sampledAt: Nullable(Type.Integer({ description: 'Unix ms of the last background sample; null until the first one' })),
        hostname: Type.String(),
        cpu: Type.Object({
          cores: Count,
          loadPercent: Nullable(Type.Number({ description: 'Busy share of all cores since the previous sample' })),
          loadAverage: Type.Array(Type.Number(), { description: 'The 1, 5 and 15 minute load averages' }),
          temperatureC: Nullable(Type.Number({ description: 'Null when the machine has no readable sensor (most VMs)' })),
        }),
        memory: Type.Object({ totalBytes: Count, availableBytes: Nullable(Count) }),
        disk: Type.Object({
          path: Type.String({ description: 'The data folder; the numbers are for the file system holding it' }),
          totalBytes: Nullable(Count),
          freeBytes: Nullable(Count),
        }),
      },
      { description: 'The machine. Slow probes are sampled in the background every few seconds.' },
    ),
    process: Type.Object({
      pid: Count,
      uptimeS: Type.Number(),
      rssBytes: Count,
      heapUsedBytes: Count,
      heapTotalBytes: Count,
      eventLoop: Type.Object(
        {
          delayMeanMs: Nullable(Type.Number()),
          delayP99Ms: Nullable(Type.Number()),
          delayMaxMs: Nullable(Type.Number()),
          utilization: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Share of time the event loop was busy' })),
        },
        { description: 'Over the last sampling interval (a few seconds)' },
      ),
    }),
    broker: Type.Object({ clients: Type.Integer({ minimum: 0, description: 'Connected MQTT clients (devices, bridges and tools)' }) }),
    ingest: Type.Object({
      accepted: Type.Integer({ minimum: 0, description: 'Messages accepted since start' }),
      readings: Type.Integer({ minimum: 0, description: 'Readings in those messages (a GNSS batch holds several)' }),
      messagesPerSecond: PerSecond,
      readingsPerSecond: PerSecond,
      rejects: Type.Object(
        { total: Count, byCode: Type.Record(Type.String(), Count) },
        { description: 'Rejected messages since start; per sensor and the latest ones in GET /api/ingest/rejects' },
      ),
    }),
    store: Type.Object({
      fileBytes: Type.Integer({ minimum: 0, description: 'The SQLite file with its WAL' }),
      maxBytes: Count,
      pendingRows: Count,
      inboxRows: Count,
      blocksWritten: Count,
      full: Type.Boolean({ description: 'The cap is reached; raw samples are no longer recorded (live state goes on)' }),
      unrecorded: Type.Integer({ minimum: 0, description: 'Readings not recorded since the store became full' }),
      lastCompactionMs: Nullable(Type.Number({ minimum: 0, description: 'How long the last compaction took on the maintenance thread; null before the first' })),
      maintenanceFailures: Type.Integer({ minimum: 0, description: 'Compactions or checkpoints that failed since start (their readings stay in the inbox for the next run)' }),
      lastMaintenanceError: Nullable(Type.String({ description: 'Why the last failed compaction or checkpoint failed' })),
      commitFailures: Type.Integer({ minimum: 0, description: 'Group commits that failed since start (disk full, I/O error); their readings wait, unacknowledged, for the next try' }),
      lastCommitError: Nullable(Type.String({ description: 'Why group commits are failing now; null once one succeeds' })),
      answeringUnwritten: Type.Boolean({
        description: 'True once the disk has refused commits for 5 s: publishes are answered though not written, so that devices and live screens go on',
      }),
      undecodableRows: Type.Integer({ minimum: 0, description: 'Stored readings found damaged (not the JSON the hub wrote) by compactions since start, and dropped' }),
      discardedWhileFailing: Type.Integer({
        minimum: 0,
        description: 'Readings given up since start because the disk refused them for longer than store.maxPendingReadings could hold them (shown live, not recorded)',
      }),
    }),
    live: Type.Object({ screens: Count, framesSent: Count, framesSkipped: Count }),
    uplink: UplinkStatus,
    athletes: Type.Object({ total: Count, bySignal: Type.Object({ none: Count, live: Count, stale: Count, lost: Count }) }),
    sensors: Type.Array(
      Type.Object({
        id: Type.String(),
        label: Nullable(Type.String()),
        lastSeen: Type.Integer({ description: 'Unix ms' }),
        batteryPct: Nullable(Type.Number()),
        athleteId: Nullable(Type.String()),
        athleteName: Nullable(Type.String()),
        signal: Nullable(Signal),
      }),
    ),
  },
  { $id: 'Health' },
);

export type Health = Static<typeof Health>;

export const Ready = Type.Object({ ok: Type.Literal(true) });
