/**
 * The one path every sensor message takes: topic and payload are validated once, the sensor is
 * mapped to its athlete, readings go to the live engine at once and to the sample store for the
 * next group commit. Rejects are counted per sensor and reason and never throw past this class.
 */
import { decodeBleHeartRate, isTouchlineError } from '@touchline/core/metrics';
import { IngestReject, parseReadings, parseTopic, type Reading } from './ingest-contract.ts';
import type { RosterService } from '../services/roster.service.ts';
import type { SampleStore } from '../store/sample-store.ts';

export interface ReadingSink {
  ingest(athleteId: string, sensorId: string, reading: Reading, receivedAt: number): void;
}

/** Reject counters keyed by sensor; bounded so invented sensor ids cannot grow memory. */
export class RejectCounter {
  static readonly MAX_KEYS = 1000;
  private readonly bySensor = new Map<string, Map<string, number>>();
  private readonly recent: { at: number; sensorId: string; code: string; message: string }[] = [];
  total = 0;

  add(sensorId: string, code: string, message: string, at: number): void {
    this.total++;
    let key = sensorId;
    if (!this.bySensor.has(key) && this.bySensor.size >= RejectCounter.MAX_KEYS) key = '(other sensors)';
    let byCode = this.bySensor.get(key);
    if (!byCode) this.bySensor.set(key, (byCode = new Map()));
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    this.recent.push({ at, sensorId: sensorId.slice(0, 80), code, message: message.slice(0, 200) });
    if (this.recent.length > 50) this.recent.shift();
  }

  snapshot() {
    const bySensor: Record<string, Record<string, number>> = {};
    const byCode: Record<string, number> = {};
    for (const [sensor, codes] of this.bySensor) {
      bySensor[sensor] = Object.fromEntries(codes);
      for (const [code, n] of codes) byCode[code] = (byCode[code] ?? 0) + n;
    }
    return { total: this.total, byCode, bySensor, recent: [...this.recent].reverse() };
  }
}

export type IngestOutcome = { accepted: true; readings: number } | { accepted: false; code: string; message: string };

export interface IngestDeps {
  roster: RosterService;
  store: SampleStore;
  sink: ReadingSink;
  maxPayloadBytes: number;
  now?: () => number;
}

function decodeBleHrm(bytes: Uint8Array) {
  const m = decodeBleHeartRate(bytes);
  return { bpm: m.bpm, rrMs: m.rr };
}

export class IngestService {
  readonly rejects = new RejectCounter();
  accepted = 0;
  readings = 0;
  private readonly deps: IngestDeps;
  private readonly now: () => number;

  constructor(deps: IngestDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /**
   * Handles one published message. `onDurable` runs when the readings are on disk (or at once for
   * a rejected message, which is acknowledged so the device does not resend it forever).
   */
  handle(topic: string, payload: Buffer, onDurable?: () => void): IngestOutcome {
    const receivedAt = this.now();
    let sensorId = '(invalid topic)';
    try {
      const parsed = parseTopic(topic);
      sensorId = parsed.sensorId;
      if (payload.length > this.deps.maxPayloadBytes) {
        throw new IngestReject('TL_ERR_INGEST_OVERSIZE', `payload of ${payload.length} bytes exceeds ${this.deps.maxPayloadBytes}`);
      }
      const readings = parseReadings(parsed.stream, payload, receivedAt, decodeBleHrm);
      return this.accept(sensorId, readings, receivedAt, onDurable);
    } catch (err) {
      if (!isTouchlineError(err)) throw err;
      this.reject(sensorId, err.code, err.message, receivedAt);
      onDurable?.();
      return { accepted: false, code: err.code, message: err.message };
    }
  }

  /** Counts a message refused before parsing (rate limit, authorisation). */
  reject(sensorId: string, code: string, message: string, at = this.now()): void {
    this.rejects.add(sensorId, code, message, at);
  }

  private accept(sensorId: string, readings: Reading[], receivedAt: number, onDurable?: () => void): IngestOutcome {
    const { roster, store, sink } = this.deps;
    const first = readings[0]!;
    const battery = first.stream === 'battery' ? first.pct : undefined;
    if (!roster.seen(sensorId, first.stream, receivedAt, battery)) {
      throw new IngestReject('TL_ERR_INGEST_UNAUTHORIZED', 'the discovery list is full; pair or remove sensors first');
    }
    const athleteId = roster.athleteFor(sensorId);
    if (athleteId) for (const reading of readings) sink.ingest(athleteId, sensorId, reading, receivedAt);
    store.append(sensorId, athleteId, readings, onDurable);
    this.accepted++;
    this.readings += readings.length;
    return { accepted: true, readings: readings.length };
  }
}
