/**
 * Catch-up: the hub's real uplink (UplinkService over the hub store, with the hub's default uplink
 * settings) forwards a whole recorded session to a real central in its own process, from a cursor
 * at zero until central has acknowledged the last reading. The hub is enrolled beforehand, so the
 * time is the data's alone.
 */
import { join } from 'node:path';
import pg from 'pg';
import { resolveConfig } from '../hub/src/config/load-config.ts';
import { openDatabase } from '../hub/src/store/database.ts';
import { SampleStore } from '../hub/src/store/sample-store.ts';
import { CentralClient } from '../hub/src/uplink/central-client.ts';
import { CredentialStore } from '../hub/src/uplink/credential-store.ts';
import { UplinkRepository } from '../hub/src/uplink/uplink.repository.ts';
import { UplinkService, uplinkSettings } from '../hub/src/uplink/uplink.service.ts';
import { MachineSampler, ProcessSampler, type ProcessUsage } from './proc-stats.ts';
import { sleep } from './processes.ts';
import type { CentralProcess } from './uplink-central.ts';
import type { BenchPostgres } from './uplink-postgres.ts';

export interface CatchUpResult {
  readings: number;
  /** Rows in central's raw_samples once the cursor reached the end. */
  committedRows: number;
  elapsedS: number;
  rowsPerS: number;
  batches: number;
  batchRows: number;
  /** In % of one core over the catch-up: the hub (this process), central, PostgreSQL, the machine. */
  cpu: { hub: number; central: number; postgres: number; machine: number };
  /** CPU seconds over the catch-up: the hub (this process), central and PostgreSQL. */
  cpuS: { hub: number; central: number; postgres: number };
  peakRssMb: { hub: number; central: number };
}

/** How often the cursor is looked at; small against a batch's time. */
const POLL_MS = 5;
const TIMEOUT_MS = 30 * 60_000;

export async function runCatchUp(options: {
  hubStorePath: string;
  workDir: string;
  central: CentralProcess;
  databaseUrl: string;
  postgres: BenchPostgres;
  readings: number;
  cores: number;
}): Promise<CatchUpResult> {
  const { central } = options;
  const organisation = await central.api<{ id: string }>('POST', '/api/organisations', { name: 'Bench League' });
  const club = await central.api<{ id: string }>('POST', '/api/clubs', { organisationId: organisation.id, name: 'Bench FC' });
  const created = await central.api<{ hub: { id: string }; enrolment: { code: string } }>('POST', '/api/hubs', { clubId: club.id, name: 'Bench ground hub' });

  const config = resolveConfig({
    hub: { name: 'Bench ground hub', dataDir: options.workDir },
    uplink: { enabled: true, centralUrl: central.url, enrolmentCode: created.enrolment.code, credentialFile: join(options.workDir, 'uplink-credential.json') },
  });
  const settings = uplinkSettings(config)!;
  // Enrol as the uplink would on first contact, before the clock starts.
  const credentials = new CredentialStore(settings.credentialFile);
  const enrolled = await new CentralClient(settings.centralUrl, settings.requestTimeoutMs).enrol(
    settings.enrolmentCode,
    settings.hubName,
    credentials.secretFor(settings.enrolmentCode),
    AbortSignal.timeout(settings.requestTimeoutMs),
  );
  credentials.save({ hubId: enrolled.hubId, clubId: enrolled.clubId, credential: enrolled.credential, enrolledAt: Date.now() });

  // The hub after a restart: its store opened as the hub opens it, the compaction timer included.
  const store = await openDatabase(options.hubStorePath);
  const samples = new SampleStore(store.sqlite, store.path, {
    commitIntervalMs: config.store.commitIntervalMs,
    blockSeconds: config.store.blockSeconds,
    maxDiskBytes: config.store.maxDiskMegabytes * 1024 * 1024,
  });
  const uplink = new UplinkService({ repo: new UplinkRepository(store.db), samples, settings });

  let elapsedS: number;
  let usage: { hub: ProcessUsage; central: ProcessUsage; postgresS: number; machine: number };
  let batches: number;
  try {
    const hubSampler = new ProcessSampler(process.pid);
    const centralSampler = new ProcessSampler(central.pid);
    const machine = new MachineSampler(options.cores);
    const postgresBefore = options.postgres.cpuSeconds();
    const started = performance.now();
    uplink.start();
    for (;;) {
      const status = uplink.status();
      if (!status.configured) throw new Error('the uplink is not configured');
      if (status.ackedSeq >= options.readings) break;
      // A refusal would be retried with backoff for ever; the bench stops and says why instead.
      if (status.lastError) throw new Error(`the uplink failed: ${status.lastError.code} ${status.lastError.message}`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`the uplink had not caught up after ${TIMEOUT_MS / 60_000} minutes (acked ${status.ackedSeq} of ${options.readings})`);
      await sleep(POLL_MS);
    }
    elapsedS = (performance.now() - started) / 1000;
    const postgresS = options.postgres.cpuSeconds() - postgresBefore;
    usage = { hub: hubSampler.stop(), central: centralSampler.stop(), postgresS, machine: machine.stop() };
    const status = uplink.status();
    batches = status.configured ? status.sent.batches : 0;
  } finally {
    await uplink.stop();
    await samples.close();
    await store.db.destroy();
  }

  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  let committedRows: number;
  try {
    committedRows = Number((await db.query<{ n: string }>('select count(*) as n from raw_samples')).rows[0]!.n);
  } finally {
    await db.end();
  }
  return {
    readings: options.readings,
    committedRows,
    elapsedS,
    rowsPerS: committedRows / elapsedS,
    batches,
    batchRows: settings.batchRows,
    cpu: { hub: usage.hub.cpuPercent, central: usage.central.cpuPercent, postgres: (usage.postgresS / elapsedS) * 100, machine: usage.machine },
    cpuS: { hub: (usage.hub.cpuPercent * elapsedS) / 100, central: (usage.central.cpuPercent * elapsedS) / 100, postgres: usage.postgresS },
    peakRssMb: { hub: usage.hub.peakRssMb, central: usage.central.peakRssMb },
  };
}
