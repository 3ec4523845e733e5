/**
 * Prometheus exposition of the health report. The registry is the hub's own (never prom-client's
 * global one, so two hubs in one process, as in tests, do not mix). Values are collected at
 * scrape time from one health snapshot, so /metrics and /api/health always tell the same story.
 *
 * prom-client is loaded, and the registry built, at the first scrape: a hub nobody scrapes keeps
 * neither the module (about 2 MB of heap) nor the standard series' garbage-collection observer and
 * event-loop sampler running. Counters of those series therefore start at the first scrape, which
 * Prometheus treats as any counter reset.
 */
import { setTimeout } from 'node:timers/promises';
import type * as PromClient from 'prom-client';
import type { ErrorCode } from '@touchline/core/metrics';
import { SIGNAL_STATES, type Health } from '../schemas/health.schema.ts';
import type { HealthService } from './health.service.ts';

// The reject reasons of docs/ingest.md, exported from the start at 0 so that Prometheus'
// increase() also counts a reason's first rejects.
const INGEST_REJECT_CODES: readonly ErrorCode[] = [
  'TL_ERR_INGEST_TOPIC',
  'TL_ERR_INGEST_JSON',
  'TL_ERR_INGEST_SCHEMA',
  'TL_ERR_INGEST_OVERSIZE',
  'TL_ERR_INGEST_RATE',
  'TL_ERR_INGEST_UNAUTHORIZED',
];

const EVENT_LOOP_FIRST_SAMPLES_MS = 50;

export interface HubMetrics {
  /** The exposition text for one scrape, with its content type. */
  render(): Promise<{ contentType: string; text: string }>;
}

export function createHubMetrics(health: HealthService): HubMetrics {
  let registry: Promise<HubRegistry> | null = null;
  return {
    async render() {
      if (!registry) {
        registry = import('prom-client').then(async (prom) => {
          const built = buildRegistry(prom, health);
          // The event-loop delay series sample every 10 ms; until the first sample they read NaN.
          await setTimeout(EVENT_LOOP_FIRST_SAMPLES_MS);
          return built;
        });
        // A module that failed to load is tried again at the next scrape.
        registry.catch(() => (registry = null));
      }
      const built = await registry;
      return { contentType: built.contentType, text: await built.render() };
    },
  };
}

interface HubRegistry {
  contentType: string;
  render(): Promise<string>;
}

function buildRegistry({ collectDefaultMetrics, Counter, Gauge, Registry }: typeof PromClient, health: HealthService): HubRegistry {
  const registry = new Registry();
  // The standard process_* and nodejs_* series, so stock Node.js dashboards work unchanged.
  collectDefaultMetrics({ register: registry });

  // The snapshot of the scrape in progress; concurrent scrapes share it (see render).
  let current: Health | null = null;
  let inFlight: Promise<string> | null = null;
  const read = (): Health => (current ??= health.snapshot());

  /** A gauge read from the snapshot; a null value leaves the series out rather than reporting 0. */
  const gauge = (name: string, help: string, value: (h: Health) => number | boolean | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = value(read());
        if (v === null) this.remove();
        else this.set(Number(v));
      },
    });

  /** A counter mirroring a cumulative number the hub already keeps. */
  const counter = (name: string, help: string, value: (h: Health) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(value(read()));
      },
    });

  new Gauge({
    name: 'touchline_info',
    help: 'Hub version and Node.js runtime (always 1)',
    labelNames: ['version', 'node'],
    registers: [registry],
    collect() {
      const h = read();
      this.reset();
      this.set({ version: h.hub.version, node: h.hub.node }, 1);
    },
  });

  counter('touchline_ingest_messages_total', 'MQTT messages accepted by ingest', (h) => h.ingest.accepted);
  counter('touchline_ingest_readings_total', 'Readings in the accepted messages', (h) => h.ingest.readings);
  new Counter({
    name: 'touchline_ingest_rejects_total',
    help: 'MQTT messages rejected, by TL_ERR_ code (see docs/errors.md)',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset();
      const { byCode } = read().ingest.rejects;
      for (const code of new Set([...INGEST_REJECT_CODES, ...Object.keys(byCode)])) this.inc({ code }, byCode[code] ?? 0);
    },
  });

  gauge('touchline_broker_clients', 'Connected MQTT clients', (h) => h.broker.clients);

  gauge('touchline_store_bytes', 'Size of the SQLite file with its WAL', (h) => h.store.fileBytes);
  gauge('touchline_store_max_bytes', 'The store cap (store.maxDiskMegabytes)', (h) => h.store.maxBytes);
  gauge('touchline_store_full', '1 when the store cap is reached and raw samples are no longer recorded', (h) => h.store.full);
  gauge('touchline_store_inbox_rows', 'Committed readings waiting to be compacted into blocks', (h) => h.store.inboxRows);
  gauge('touchline_store_pending_rows', 'Readings waiting for the next group commit', (h) => h.store.pendingRows);
  counter('touchline_store_blocks_written_total', 'Compressed sample blocks written', (h) => h.store.blocksWritten);
  counter('touchline_store_unrecorded_total', 'Readings not recorded because the store was full', (h) => h.store.unrecorded);
  counter('touchline_store_commit_failures_total', 'Group commits the disk refused (full card, I/O error); their readings wait for the next try', (h) => h.store.commitFailures);
  gauge('touchline_store_commit_failing', '1 while group commits fail and readings wait in memory, unacknowledged', (h) => h.store.lastCommitError !== null);
  counter('touchline_store_discarded_readings_total', 'Readings given up because the disk refused them for longer than store.maxPendingReadings could hold them', (h) => h.store.discardedWhileFailing);
  counter('touchline_store_undecodable_rows_total', 'Stored readings found damaged by compactions and dropped (a failing card)', (h) => h.store.undecodableRows);
  counter('touchline_store_maintenance_failures_total', 'Compactions or checkpoints that failed (their readings stay in the inbox)', (h) => h.store.maintenanceFailures);

  const uplink = (h: Health) => (h.uplink.configured ? h.uplink : null);
  gauge('touchline_uplink_backlog_readings', 'Readings central does not hold yet (absent when the uplink is off)', (h) => uplink(h)?.backlog.readings ?? null);
  gauge('touchline_uplink_backlog_oldest_timestamp_seconds', 'Start of the oldest block waiting for central, Unix seconds', (h) => {
    const oldest = uplink(h)?.backlog.oldestAt;
    return oldest == null ? null : oldest / 1000;
  });
  gauge('touchline_uplink_last_success_timestamp_seconds', 'When central last acknowledged a batch, Unix seconds', (h) => {
    const at = uplink(h)?.lastSuccessAt;
    return at == null ? null : at / 1000;
  });
  gauge('touchline_uplink_consecutive_failures', 'Failed uplink attempts since the last success', (h) => uplink(h)?.consecutiveFailures ?? null);
  counter('touchline_uplink_sent_readings_total', 'Readings central acknowledged since the hub started', (h) => uplink(h)?.sent.readings ?? 0);

  gauge('touchline_live_screens', 'Screens connected to the live feed', (h) => h.live.screens);
  counter('touchline_live_frames_sent_total', 'Live frames sent to screens', (h) => h.live.framesSent);
  counter('touchline_live_frames_skipped_total', 'Live frames skipped for screens that fell behind', (h) => h.live.framesSkipped);

  new Gauge({
    name: 'touchline_athletes',
    help: 'Athletes by signal state (none: never seen; stale and lost: sensors fell silent)',
    labelNames: ['signal'],
    registers: [registry],
    collect() {
      const { bySignal } = read().athletes;
      for (const signal of SIGNAL_STATES) this.set({ signal }, bySignal[signal]);
    },
  });
  gauge('touchline_sensors', 'Sensors the hub has seen', (h) => h.sensors.length);
  new Gauge({
    name: 'touchline_sensor_battery_percent',
    help: 'Last reported battery level of each sensor',
    labelNames: ['sensor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of read().sensors) if (s.batteryPct !== null) this.set({ sensor: s.id }, s.batteryPct);
    },
  });

  gauge('touchline_cpu_load_percent', 'Busy share of all CPU cores, sampled every few seconds', (h) => h.box.cpu.loadPercent);
  gauge('touchline_cpu_temperature_celsius', 'CPU temperature (absent when the machine has no readable sensor)', (h) => h.box.cpu.temperatureC);
  gauge('touchline_memory_available_bytes', 'Memory available to programs', (h) => h.box.memory.availableBytes);
  gauge('touchline_data_disk_size_bytes', 'Size of the file system holding the data folder', (h) => h.box.disk.totalBytes);
  gauge('touchline_data_disk_free_bytes', 'Free space on the file system holding the data folder', (h) => h.box.disk.freeBytes);
  gauge('touchline_event_loop_utilization', 'Share of time the event loop was busy over the last sampling interval', (h) => h.process.eventLoop.utilization);

  return {
    contentType: registry.contentType,
    render() {
      inFlight ??= (async () => {
        current = health.snapshot();
        try {
          return await registry.metrics();
        } finally {
          current = null;
          inFlight = null;
        }
      })();
      return inFlight;
    },
  };
}
