/**
 * Turns readings into ingest-contract MQTT messages. Heart rate and battery go out at once; a
 * pod's 10 Hz GNSS fixes are sent as one `fixes` batch and its PlayerLoad increments as one summed
 * increment per window. The window matches the hub's live rate (4 updates/s per athlete), so
 * screens lose nothing while a squad's pods need a quarter of the messages, well inside the hub's
 * per-client message budget.
 */
import { INGEST_LIMITS, sensorTopic, type BridgeReading } from './readings.ts';

export const BATCH_WINDOW_MS = 250;

export interface OutgoingMessage {
  topic: string;
  /** JSON text. */
  payload: string;
}

type GnssReading = Extract<BridgeReading, { stream: 'gnss' }>;

interface Batch {
  sensorId: string;
  stream: 'gnss' | 'imu';
  openedAt: number;
  fixes: Omit<GnssReading, 'sensorId' | 'stream'>[];
  playerLoad: number;
  lastT: number;
}

function body(reading: BridgeReading): Record<string, unknown> {
  const { sensorId: _sensorId, stream: _stream, ...rest } = reading;
  return rest;
}

export class ReadingBatcher {
  readonly #emit: (message: OutgoingMessage) => void;
  readonly #batches = new Map<string, Batch>();

  constructor(emit: (message: OutgoingMessage) => void) {
    this.#emit = emit;
  }

  add(reading: BridgeReading, now: number): void {
    if (reading.stream === 'hr' || reading.stream === 'battery') {
      this.#emit({ topic: sensorTopic(reading.sensorId, reading.stream), payload: JSON.stringify(body(reading)) });
      return;
    }
    const key = `${reading.sensorId}/${reading.stream}`;
    let batch = this.#batches.get(key);
    if (!batch) {
      batch = { sensorId: reading.sensorId, stream: reading.stream, openedAt: now, fixes: [], playerLoad: 0, lastT: reading.t };
      this.#batches.set(key, batch);
    }
    batch.lastT = reading.t;
    if (reading.stream === 'gnss') {
      batch.fixes.push(body(reading) as Batch['fixes'][number]);
      if (batch.fixes.length >= INGEST_LIMITS.fixesPerMessage) this.#send(key, batch);
    } else {
      batch.playerLoad += reading.playerLoad;
      // A sum of many increments can reach the contract's per-message cap; split it there.
      if (batch.playerLoad >= INGEST_LIMITS.playerLoadIncrement[1] / 2) this.#send(key, batch);
    }
  }

  /** Sends every batch whose window has passed. */
  flushDue(now: number): void {
    for (const [key, batch] of this.#batches) if (now - batch.openedAt >= BATCH_WINDOW_MS) this.#send(key, batch);
  }

  flushAll(): void {
    for (const [key, batch] of this.#batches) this.#send(key, batch);
  }

  #send(key: string, batch: Batch): void {
    this.#batches.delete(key);
    const topic = sensorTopic(batch.sensorId, batch.stream);
    if (batch.stream === 'imu') {
      this.#emit({ topic, payload: JSON.stringify({ t: batch.lastT, playerLoad: Math.round(batch.playerLoad * 1e6) / 1e6 }) });
    } else {
      this.#emit({ topic, payload: JSON.stringify(batch.fixes.length === 1 ? batch.fixes[0] : { fixes: batch.fixes }) });
    }
  }
}
