/**
 * Session exports from the stored readings: one long-format CSV for the whole squad (streamed, so a
 * long session never sits in memory as one string), and a FIT activity file per athlete that
 * Garmin Connect, GoldenCheetah, Kubios and core's own importer can open.
 */
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ActivityMesg, EventMesg, FileIdMesg, HrvMesg, LapMesg, RecordMesg, SessionMesg } from '@garmin/fitsdk';
import { GnssAccumulator, TouchlineError } from '@touchline/core/metrics';
import type { GnssReading, HrReading, Reading, ReadingStream } from '../ingest/ingest-contract.ts';
import type { SampleStore, StoredReading } from '../store/sample-store.ts';
import type { WindowMetrics } from '../schemas/session.schema.ts';
import type { Athlete, AthleteService } from './athlete.service.ts';
import type { Session, SessionService } from './session.service.ts';
import { gnssFixOf, type SessionReportService } from './session-report.service.ts';

export const CSV_COLUMNS = [
  'session_id',
  'athlete_id',
  'athlete_name',
  'sensor_id',
  'stream',
  't_iso',
  't_ms',
  'bpm',
  'rr_ms',
  'lat',
  'lon',
  'speed',
  'hdop',
  'sats',
  'player_load',
  'battery_pct',
] as const;

/** Stream order within one millisecond, so the file is stable from one export to the next. */
const STREAMS: readonly ReadingStream[] = ['hr', 'gnss', 'imu', 'battery'];

/**
 * Garmin's FIT SDK with the global message numbers (FIT Profile, mesg_num) the export writes.
 * Loaded on the first FIT export: the SDK's profile tables are megabytes the hub would otherwise
 * hold all the time for a file exported now and then.
 */
async function loadFit() {
  const { Encoder, Profile } = await import('@garmin/fitsdk');
  const mesgNum = (name: string): number => {
    const num = Profile.MesgNum[name];
    if (num === undefined) throw new Error(`The FIT profile has no message ${name}`);
    return num;
  };
  const MESG = {
    fileId: mesgNum('FILE_ID'),
    event: mesgNum('EVENT'),
    record: mesgNum('RECORD'),
    hrv: mesgNum('HRV'),
    lap: mesgNum('LAP'),
    session: mesgNum('SESSION'),
    activity: mesgNum('ACTIVITY'),
  };
  return { Encoder, MESG };
}

const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;
/** Garmin's devices write five RR intervals per hrv message; unused slots hold the invalid value. */
const RR_PER_HRV_MESSAGE = 5;

export interface ExportFile<T> {
  filename: string;
  body: T;
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A name a spreadsheet would run as a formula (starting with = + - @ or a control character) gets a
 * leading apostrophe, as OWASP advises against CSV injection; names are the only free text here.
 */
function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvRow(session: Session, athlete: Athlete, stored: StoredReading): string {
  const r: Reading = stored.reading;
  const cells: Record<(typeof CSV_COLUMNS)[number], string | number | undefined> = {
    session_id: session.id,
    athlete_id: athlete.id,
    athlete_name: spreadsheetSafe(athlete.name),
    sensor_id: stored.sensorId,
    stream: r.stream,
    t_iso: new Date(r.t).toISOString(),
    t_ms: r.t,
    bpm: r.stream === 'hr' ? r.bpm : undefined,
    rr_ms: r.stream === 'hr' ? r.rr.join(' ') : undefined,
    lat: r.stream === 'gnss' ? r.lat : undefined,
    lon: r.stream === 'gnss' ? r.lon : undefined,
    speed: r.stream === 'gnss' ? r.speed : undefined,
    hdop: r.stream === 'gnss' ? r.hdop : undefined,
    sats: r.stream === 'gnss' ? r.sats : undefined,
    player_load: r.stream === 'imu' ? r.playerLoad : undefined,
    battery_pct: r.stream === 'battery' ? r.pct : undefined,
  };
  return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',') + '\r\n';
}

/** ASCII, lower case, dashes: safe in a content-disposition header on every platform. */
function slug(text: string, fallback: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || fallback;
}

function fileStem(session: Session): string {
  return `touchline-${new Date(session.startedAt).toISOString().slice(0, 10)}-${slug(session.name, 'session')}`;
}

function semicircles(degrees: number): number {
  return Math.max(-(2 ** 31) + 1, Math.min(2 ** 31 - 1, Math.round(degrees * SEMICIRCLES_PER_DEGREE)));
}

function fitTime(t: number): Date {
  return new Date(Math.floor(t / 1000) * 1000);
}

/** Lap and session summary fields from the report's metrics of the same window. */
function summaryFields(metrics: WindowMetrics, from: number, to: number) {
  const elapsedS = (to - from) / 1000;
  const distance = metrics.gnss?.distanceM;
  return {
    timestamp: fitTime(to),
    startTime: fitTime(from),
    totalElapsedTime: elapsedS,
    totalTimerTime: elapsedS,
    totalDistance: distance,
    avgSpeed: distance !== undefined && elapsedS > 0 ? distance / elapsedS : undefined,
    maxSpeed: metrics.gnss?.maxSpeed,
    avgHeartRate: metrics.hr?.meanBpm == null ? undefined : Math.round(metrics.hr.meanBpm),
    maxHeartRate: metrics.hr?.maxBpm ?? undefined,
    totalCalories: metrics.hr?.energyKcal == null ? undefined : Math.round(metrics.hr.energyKcal),
  };
}

interface FitSecond {
  hr: HrReading | undefined;
  fixes: GnssReading[];
  rr: number[];
}

export interface SessionExportDeps {
  sessions: SessionService;
  athletes: AthleteService;
  samples: SampleStore;
  reports: SessionReportService;
}

export class SessionExportService {
  private readonly deps: SessionExportDeps;

  constructor(deps: SessionExportDeps) {
    this.deps = deps;
  }

  /** Every stored reading of every athlete in the session, one row each, athlete by athlete. */
  async csv(sessionId: string): Promise<ExportFile<Readable>> {
    const session = await this.deps.sessions.get(sessionId);
    const { from, to } = this.deps.reports.windowOf(session);
    const { athletes, samples } = this.deps;
    async function* rows() {
      yield CSV_COLUMNS.join(',') + '\r\n';
      for (const athlete of athletes.list()) {
        const stored = STREAMS.flatMap((stream) => samples.readAthlete(athlete.id, stream, from, to));
        // Stable sort: equal times keep the stream order above.
        stored.sort((a, b) => a.reading.t - b.reading.t);
        if (stored.length > 0) yield stored.map((s) => csvRow(session, athlete, s)).join('');
        await yieldToEventLoop();
      }
    }
    return { filename: `${fileStem(session)}.csv`, body: Readable.from(rows()) };
  }

  /**
   * One athlete's session as a FIT activity: a record per second with heart rate, position, speed
   * and distance; hrv messages with the RR intervals; a lap per drill; the session summary.
   */
  async fit(sessionId: string, athleteId: string): Promise<ExportFile<Uint8Array>> {
    const session = await this.deps.sessions.get(sessionId);
    const athlete = this.deps.athletes.get(athleteId);
    const { reports } = this.deps;
    const { from, to } = reports.windowOf(session);
    const readings = reports.readingsOf(athleteId, from, to);
    if (readings.hr.length === 0 && readings.gnss.length === 0) {
      throw new TouchlineError('TL_ERR_NOT_FOUND', `${athlete.name} has no heart-rate or GNSS readings in session "${session.name}"`);
    }
    const report = reports.athleteReport(session, athlete, readings);

    // FIT record times are whole seconds: one record per second, holding that second's latest values.
    const seconds = new Map<number, FitSecond>();
    const secondOf = (t: number) => {
      const key = Math.floor(t / 1000);
      let second = seconds.get(key);
      if (!second) seconds.set(key, (second = { hr: undefined, fixes: [], rr: [] }));
      return second;
    };
    for (const r of readings.hr) {
      const second = secondOf(r.t);
      second.hr = r;
      second.rr.push(...r.rr);
    }
    for (const r of readings.gnss) secondOf(r.t).fixes.push(r);

    const sport = 'teamSport';
    const subSport = session.kind === 'match' ? 'match' : 'generic';
    const { Encoder, MESG } = await loadFit();
    const encoder = new Encoder();
    const fileId: FileIdMesg = { type: 'activity', manufacturer: 'development', product: 1, timeCreated: fitTime(to), productName: 'Touchline hub' };
    encoder.onMesg(MESG.fileId, fileId);
    const timerStart: EventMesg = { timestamp: fitTime(from), event: 'timer', eventType: 'start', eventGroup: 0 };
    encoder.onMesg(MESG.event, timerStart);

    // Distance as core accumulates it, fix by fix, so the last record agrees with the report.
    const gnss = new GnssAccumulator(reports.setupOf(athlete, session).gnss);
    for (const key of [...seconds.keys()].sort((a, b) => a - b)) {
      const second = seconds.get(key)!;
      const record: RecordMesg = { timestamp: new Date(key * 1000) };
      if (second.hr) record.heartRate = second.hr.bpm;
      const fix = second.fixes.at(-1);
      if (fix) {
        for (const f of second.fixes) gnss.push(gnssFixOf(f));
        const state = gnss.snapshot();
        record.positionLat = semicircles(fix.lat);
        record.positionLong = semicircles(fix.lon);
        record.speed = fix.speed ?? state.speed;
        record.distance = state.distanceM;
      }
      encoder.onMesg(MESG.record, record);
      for (let i = 0; i < second.rr.length; i += RR_PER_HRV_MESSAGE) {
        // FIT keeps RR in seconds; null pads the unused slots, which the encoder writes as invalid.
        const time = Array.from({ length: RR_PER_HRV_MESSAGE }, (_, j) => {
          const ms = second.rr[i + j];
          return ms === undefined ? null : ms / 1000;
        });
        const mesg: HrvMesg = { time: time as number[] };
        encoder.onMesg(MESG.hrv, mesg);
      }
    }

    const timerStop: EventMesg = { timestamp: fitTime(to), event: 'timer', eventType: 'stopAll', eventGroup: 0 };
    encoder.onMesg(MESG.event, timerStop);
    const laps = report.drills.length > 0 ? report.drills : [{ from, to, metrics: report.session }];
    laps.forEach((lap, i) => {
      const mesg: LapMesg = { messageIndex: i, event: 'lap', eventType: 'stop', lapTrigger: 'manual', sport, subSport, ...summaryFields(lap.metrics, lap.from, lap.to) };
      encoder.onMesg(MESG.lap, mesg);
    });
    const sessionMesg: SessionMesg = {
      messageIndex: 0,
      event: 'session',
      eventType: 'stop',
      trigger: 'activityEnd',
      sport,
      subSport,
      firstLapIndex: 0,
      numLaps: laps.length,
      ...summaryFields(report.session, from, to),
    };
    encoder.onMesg(MESG.session, sessionMesg);
    const activity: ActivityMesg = {
      timestamp: fitTime(to),
      totalTimerTime: (to - from) / 1000,
      numSessions: 1,
      type: 'manual',
      event: 'activity',
      eventType: 'stop',
    };
    encoder.onMesg(MESG.activity, activity);
    return { filename: `${fileStem(session)}-${slug(athlete.name, 'athlete')}.fit`, body: encoder.close() };
  }
}
