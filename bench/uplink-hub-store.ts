/**
 * A hub store holding one whole recorded session, as the hub would have it on disk after the
 * session: the squad simulator's messages (every device of every athlete, at the devices' own
 * rates) validated by the hub's ingest contract, appended to the hub's SampleStore and compacted
 * every `blockSeconds` of session time, as the hub's compaction timer does live. The model runs
 * without real time, so a 90-minute session is written in well under a minute. The recording
 * itself (`recordSquadSession`) also writes into a running hub's store, for tests of the uplink.
 */
import { statSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { createSquadModel, SPARE_STRAP_ID } from '@touchline/firmware-bridge';
import { openDatabase } from '../hub/src/store/database.ts';
import { SampleStore } from '../hub/src/store/sample-store.ts';
import type { HubDatabase } from '../hub/src/store/tables.ts';
import { parseReadings, type StreamName } from '../hub/src/ingest/ingest-contract.ts';

export interface SessionPlan {
  athletes: number;
  minutes: number;
  seed: number;
  /** Unix ms the session starts. */
  startTime: number;
}

export interface RecordedReadings {
  readings: number;
  byStream: Record<string, number>;
  /** Times of the first and last reading (Unix ms). */
  firstT: number;
  lastT: number;
}

export interface FilledStore extends RecordedReadings {
  blocks: number;
  fileBytes: number;
  fillS: number;
}

/** The hub's compaction period (config store.blockSeconds default): one block per sensor and stream per period. */
export const BLOCK_SECONDS = 30;

export const sessionId = 'bench-session';
export const athleteIdOf = (number: number) => `bench-athlete-${String(number).padStart(2, '0')}`;

function noRawStreams(): never {
  throw new Error('the simulator sends no raw BLE payloads');
}

/**
 * Adds the squad (athletes `athleteIdOf(number)`) to an open hub store and records the plan's
 * session into `samples`: a standalone store or the SampleStore of a running hub. Compaction is
 * asked for every BLOCK_SECONDS of session time, so give the store a long compaction period of its
 * own to get the hub's live block layout.
 */
export async function recordSquadSession(db: Kysely<HubDatabase>, samples: SampleStore, plan: SessionPlan): Promise<RecordedReadings> {
  const model = createSquadModel({ startTime: plan.startTime, athletes: plan.athletes, seed: plan.seed, faults: { malformedRate: 0, dropoutRate: 0 } });
  const endTime = plan.startTime + plan.minutes * 60_000;
  const createdAt = plan.startTime - 86_400_000;
  await db
    .insertInto('athletes')
    .values(
      model.squad.map((a) => ({
        id: athleteIdOf(a.number),
        name: a.name,
        number: a.number,
        position: a.position,
        group_name: null,
        hr_max: a.hrMax,
        hr_rest: a.hrRest,
        sex: a.sex,
        mass_kg: a.massKg,
        birth_year: a.birthYear,
        zones: 'null',
        thresholds: 'null',
        created_at: createdAt,
        archived_at: null,
      })),
    )
    .execute();

  const athleteOfSensor = new Map<string, string>();
  for (const a of model.squad) {
    athleteOfSensor.set(a.hrSensorId, athleteIdOf(a.number));
    athleteOfSensor.set(a.podSensorId, athleteIdOf(a.number));
  }
  const byStream: Record<string, number> = {};
  let readings = 0;
  let firstT = Infinity;
  let lastT = -Infinity;
  for (let until = plan.startTime + BLOCK_SECONDS * 1000; until <= endTime; until += BLOCK_SECONDS * 1000) {
    for (const message of model.advanceTo(until)) {
      // The staff member's spare strap is left out: the session is the squad's.
      if (message.sensorId === SPARE_STRAP_ID) continue;
      const parsed = parseReadings(message.stream as StreamName, Buffer.from(message.payload), message.t, noRawStreams);
      samples.append(message.sensorId, athleteOfSensor.get(message.sensorId) ?? null, parsed);
      for (const r of parsed) {
        byStream[r.stream] = (byStream[r.stream] ?? 0) + 1;
        if (r.t < firstT) firstT = r.t;
        if (r.t > lastT) lastT = r.t;
      }
      readings += parsed.length;
    }
    samples.commit();
    await samples.compact();
  }
  return { readings, byStream, firstT, lastT };
}

export async function fillHubStore(path: string, plan: SessionPlan): Promise<FilledStore> {
  const started = performance.now();
  const store = await openDatabase(path);
  const endTime = plan.startTime + plan.minutes * 60_000;
  await store.db.insertInto('sessions').values({ id: sessionId, name: 'Bench session', kind: 'training', started_at: plan.startTime, ended_at: endTime, notes: '' }).execute();
  // Compaction is driven by session time, so the live timer is given nothing to do.
  const samples = new SampleStore(store.sqlite, path, { commitIntervalMs: 25, blockSeconds: 3600, maxDiskBytes: Number.MAX_SAFE_INTEGER });
  let recorded: RecordedReadings;
  try {
    recorded = await recordSquadSession(store.db, samples, plan);
  } finally {
    await samples.close();
    await store.db.destroy();
  }
  const blocks = samples.stats().blocksWritten;
  const fileBytes = ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(path + suffix).size;
    } catch {
      return sum;
    }
  }, 0);
  return { ...recorded, blocks, fileBytes, fillS: (performance.now() - started) / 1000 };
}
