/**
 * Store-and-forward to central. On its own timer, never on the ingest path: it reads the sample
 * blocks past the acknowledged cursor, sends them gzip-compressed with the hub's credential, and
 * advances the cursor only when central acknowledges. One batch is in flight at a time; a backlog
 * goes out in back-to-back batches that yield to the event loop in between. Failures are retried
 * with exponential backoff and full jitter up to a cap, forever: nothing is ever dropped, and the
 * backlog, last success and last error are visible in the health report.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { isTouchlineError, TouchlineError } from '@touchline/core/metrics';
import type { UplinkAck } from '@touchline/central/uplink-contract';
import type { HubConfig } from '../config/config.schema.ts';
import type { SampleStore } from '../store/sample-store.ts';
import { backoffDelay } from './backoff.ts';
import { buildBatch, type PreparedBatch } from './batch-builder.ts';
import { CentralClient } from './central-client.ts';
import { CredentialStore, type HubCredential } from './credential-store.ts';
import type { Cursor, UplinkRepository } from './uplink.repository.ts';
import type { UplinkStatus } from './uplink-status.schema.ts';

const compress = promisify(gzip);
/** How often the backlog figure catches up with newly compacted blocks. */
const BACKLOG_REFRESH_MS = 2000;

export interface UplinkSettings {
  hubName: string;
  centralUrl: string;
  enrolmentCode: string;
  credentialFile: string;
  batchRows: number;
  intervalMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  requestTimeoutMs: number;
}

/** The uplink settings when it is enabled (checked here, once, at start-up), else null. */
export function uplinkSettings(config: HubConfig): UplinkSettings | null {
  const u = config.uplink;
  if (!u.enabled) return null;
  if (!u.centralUrl) throw new TouchlineError('TL_ERR_CONFIG_INVALID', 'Configuration key "uplink.centralUrl" must be set when uplink.enabled is true');
  if (u.backoffCapMs < u.backoffBaseMs) throw new TouchlineError('TL_ERR_CONFIG_INVALID', 'Configuration key "uplink.backoffCapMs" must be at least uplink.backoffBaseMs');
  return {
    hubName: config.hub.name,
    centralUrl: u.centralUrl,
    enrolmentCode: u.enrolmentCode.trim(),
    credentialFile: u.credentialFile || join(config.hub.dataDir, 'uplink-credential.json'),
    batchRows: u.batchRows,
    intervalMs: Math.round(u.intervalSeconds * 1000),
    backoffBaseMs: u.backoffBaseMs,
    backoffCapMs: u.backoffCapMs,
    requestTimeoutMs: Math.round(u.requestTimeoutSeconds * 1000),
  };
}

export interface UplinkDeps {
  repo: UplinkRepository;
  samples: SampleStore;
  settings: UplinkSettings;
  now?: () => number;
  random?: () => number;
}

type State = Extract<UplinkStatus, { configured: true }>['state'];

export class UplinkService {
  private readonly repo: UplinkRepository;
  private readonly samples: SampleStore;
  private readonly settings: UplinkSettings;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly client: CentralClient;
  private readonly credentials: CredentialStore;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private backlogTimer: NodeJS.Timeout | undefined;

  private state: State = 'starting';
  private hubId: string | null = null;
  private cursor: Cursor | null = null;
  private batchRows: number;
  private failures = 0;
  private lastError: { code: string; message: string; at: number } | null = null;
  private lastSuccessAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private nextAttemptAt: number | null = null;
  private sent = { batches: 0, readings: 0 };
  /** Athletes of this hub whom head office erased at central, by id, as central's answers named them (since start). */
  private readonly erasedAtCentral = new Map<string, string>();
  /**
   * Readings in all blocks up to `countedThrough`, in the uplink's numbering: the backlog is this
   * minus the cursor's sequence number, and only blocks compacted since the last count are summed.
   */
  private readingsThrough = 0;
  private countedThrough = 0;
  private oldestWaiting: number | null = null;
  private counting: Promise<void> | null = null;

  constructor(deps: UplinkDeps) {
    this.repo = deps.repo;
    this.samples = deps.samples;
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.client = new CentralClient(deps.settings.centralUrl, deps.settings.requestTimeoutMs);
    this.credentials = new CredentialStore(deps.settings.credentialFile);
    this.batchRows = deps.settings.batchRows;
  }

  start(): void {
    this.loop ??= this.run();
    this.backlogTimer = setInterval(() => void this.refreshBacklog().catch(() => {}), BACKLOG_REFRESH_MS);
    this.backlogTimer.unref();
  }

  /** Stops after aborting the batch in flight; an unacknowledged batch is simply sent again later. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.backlogTimer);
    this.wake?.();
    await this.loop;
    this.state = 'stopped';
  }

  status(): UplinkStatus {
    const stats = this.samples.stats();
    return {
      configured: true,
      centralUrl: this.settings.centralUrl,
      state: this.state,
      hubId: this.hubId,
      stream: this.cursor?.stream ?? null,
      ackedSeq: this.cursor?.acked_seq ?? 0,
      // Readings not yet packed into blocks wait too; they join the backlog at the next compaction.
      backlog: { readings: Math.max(0, this.readingsThrough - (this.cursor?.acked_seq ?? 0)) + stats.inboxRows + stats.pendingRows, oldestAt: this.oldestWaiting },
      lastSuccessAt: this.lastSuccessAt,
      lastAttemptAt: this.lastAttemptAt,
      nextAttemptAt: this.nextAttemptAt,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      batchRows: this.batchRows,
      sent: { ...this.sent },
      erasedAtCentral: [...this.erasedAtCentral].map(([id, name]) => ({ id, name })),
    };
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let delay = this.settings.intervalMs;
      this.lastAttemptAt = this.now();
      try {
        const more = await this.cycle();
        this.failures = 0;
        this.lastError = null;
        if (more) delay = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        this.failures++;
        const coded = isTouchlineError(err) ? err : new TouchlineError('TL_ERR_INTERNAL', `The uplink failed: ${(err as Error).message}`);
        this.lastError = { code: coded.code, message: coded.message, at: this.now() };
        this.state = 'retrying';
        delay = backoffDelay(this.failures, this.settings.backoffBaseMs, this.settings.backoffCapMs, this.random);
        if (coded.code === 'TL_ERR_UPLINK_TOO_LARGE' && this.batchRows > 1) {
          this.batchRows = Math.max(1, Math.floor(this.batchRows / 2));
          delay = 0;
        }
      }
      this.nextAttemptAt = this.now() + delay;
      // Even a zero pause goes through the timer queue, so a long catch-up yields between batches.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Sends one batch if anything waits; true when more wait behind it. */
  private async cycle(): Promise<boolean> {
    const identity = await this.identity();
    const cursor = await this.cursorFor(identity.hubId);
    const prepared = await buildBatch(this.repo, identity, cursor, this.batchRows);
    if (!prepared) {
      this.state = 'idle';
      return false;
    }
    this.state = 'sending';
    const body = await compress(Buffer.from(JSON.stringify(prepared.batch)));
    const ack = await this.client.sendBatch(identity.credential, body, this.abort.signal);
    await this.acknowledged(identity.hubId, cursor, prepared, ack);
    this.state = prepared.more ? 'sending' : 'idle';
    return prepared.more;
  }

  /** The credential on file, or a new one for the configured enrolment code. */
  private async identity(): Promise<HubCredential> {
    let enrolled = this.credentials.enrolled();
    if (!enrolled) {
      const code = this.settings.enrolmentCode;
      if (!code) {
        throw new TouchlineError('TL_ERR_UPLINK_NOT_ENROLLED', `Ask head office for an enrolment code and set uplink.enrolmentCode (or place a credential in ${this.credentials.path})`);
      }
      this.state = 'enrolling';
      const answer = await this.client.enrol(code, this.settings.hubName, this.credentials.secretFor(code), this.abort.signal);
      enrolled = { hubId: answer.hubId, clubId: answer.clubId, credential: answer.credential, enrolledAt: this.now() };
      this.credentials.save(enrolled);
    }
    this.hubId = enrolled.hubId;
    return enrolled;
  }

  private async cursorFor(hubId: string): Promise<Cursor> {
    if (this.cursor?.hub_id === hubId) return this.cursor;
    // A stream name of its own per store, so a hub whose database was replaced starts a new sequence.
    this.cursor = (await this.repo.cursor(hubId)) ?? (await this.repo.createCursor(hubId, `samples:${randomBytes(9).toString('base64url')}`));
    this.readingsThrough = this.cursor.acked_seq;
    this.countedThrough = this.cursor.block_id;
    await this.refreshBacklog();
    return this.cursor;
  }

  /** Advances the cursor to the last whole block central holds, and records what else it holds. */
  private async acknowledged(hubId: string, cursor: Cursor, prepared: PreparedBatch, ack: UplinkAck): Promise<void> {
    let position: { blockId: number; ackedSeq: number } | null = null;
    if (prepared.batch.samples) {
      if (ack.stream !== cursor.stream || ack.ackedSeq < cursor.acked_seq) {
        throw new TouchlineError(
          'TL_ERR_UPLINK_INVALID',
          `Central acknowledged ${ack.stream}@${ack.ackedSeq}, behind this hub's cursor ${cursor.stream}@${cursor.acked_seq}: central lost readings it had acknowledged (restored from an older backup?). Nothing is deleted here; ask head office to check central`,
        );
      }
      const reached = prepared.boundaries.filter((b) => b.lastSeq <= ack.ackedSeq).at(-1);
      if (reached) position = { blockId: reached.blockId, ackedSeq: reached.lastSeq };
    }
    for (const id of ack.erased?.athletes ?? []) {
      this.erasedAtCentral.set(id, prepared.batch.athletes.find((a) => a.id === id)?.name ?? id);
    }
    const at = this.now();
    await this.repo.acknowledge(hubId, position, at, prepared.sent);
    if (position) {
      this.cursor = { ...cursor, block_id: position.blockId, acked_seq: position.ackedSeq, acked_at: at };
      this.sent.readings += position.ackedSeq - cursor.acked_seq;
    }
    this.sent.batches++;
    this.lastSuccessAt = at;
    await this.refreshBacklog();
  }

  /** Counts newly compacted blocks into the backlog; one count at a time. */
  private refreshBacklog(): Promise<void> {
    this.counting ??= this.countNewBlocks().finally(() => (this.counting = null));
    return this.counting;
  }

  private async countNewBlocks(): Promise<void> {
    if (!this.cursor) return;
    const fresh = await this.repo.readingsSince(this.countedThrough);
    this.readingsThrough += fresh.readings;
    this.countedThrough = fresh.lastId ?? this.countedThrough;
    this.oldestWaiting = await this.repo.firstStartAfter(this.cursor.block_id);
  }
}
