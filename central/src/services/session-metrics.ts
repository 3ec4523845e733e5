/**
 * One athlete's figures over one window of stored readings, from core's batch functions only
 * (summarizeHrSession, summarizeGnss, PlayerLoadAccumulator, sessionRpeLoad), with the same
 * choices the hub's session report makes, so head office and the touchline show the same numbers.
 *
 * Windows follow the hub's rule: heart-rate and GNSS readings are instants, taken in [from, to];
 * a PlayerLoad reading is the increment since the previous one, taken in (from, to], so a reading
 * on a drill boundary belongs to the drill before it and none counts twice.
 */
import {
  createZoneModel,
  DEFAULT_GNSS_CONVENTIONS,
  DEFAULT_ZONE_MODEL,
  PlayerLoadAccumulator,
  sessionRpeLoad,
  summarizeGnss,
  summarizeHrSession,
  type AthleteProfile,
  type GnssFix,
  type GnssOptions,
  type ZoneModel,
} from '@touchline/core';
import type { LoadFigures } from '../repositories/aggregate.repository.ts';

export interface HrRow {
  t: number;
  bpm: number | null;
}
export interface GnssRow {
  t: number;
  lat: number | null;
  lon: number | null;
  speed: number | null;
  hdop: number | null;
  sats: number | null;
}
export interface ImuRow {
  t: number;
  playerLoad: number | null;
}
export interface Readings {
  hr: HrRow[];
  gnss: GnssRow[];
  imu: ImuRow[];
}

export interface AthleteRow {
  hr_max: number | null;
  hr_rest: number | null;
  sex: string | null;
  mass_kg: number | null;
  birth_year: number | null;
  zones: number[] | null;
  thresholds: { hsr: number; sprint: number } | null;
}

export interface MetricSetup {
  /** Null when head office lacks HRmax, HRrest, sex or mass: no TRIMP then. */
  profile: AthleteProfile | null;
  zoneModel: ZoneModel;
  gnss: GnssOptions;
}

/**
 * The athlete's own zones and speed thresholds, or core's defaults (central does not know a
 * hub's operator defaults; hubs send an athlete's own values whenever they are set).
 */
export function metricSetupOf(athlete: AthleteRow, at: number): MetricSetup {
  const { hr_max: hrMax, hr_rest: hrRest, sex, mass_kg: massKg } = athlete;
  let profile: AthleteProfile | null = null;
  if (hrMax !== null && hrRest !== null && massKg !== null && (sex === 'male' || sex === 'female')) {
    profile = { hrMax, hrRest, sex, massKg };
    if (athlete.birth_year) profile.ageYears = new Date(at).getUTCFullYear() - athlete.birth_year;
  }
  const thresholds = athlete.thresholds ?? { hsr: DEFAULT_GNSS_CONVENTIONS.highSpeedRunningSpeed, sprint: DEFAULT_GNSS_CONVENTIONS.sprintSpeed };
  return {
    profile,
    zoneModel: athlete.zones ? createZoneModel('percent-hrmax', athlete.zones) : DEFAULT_ZONE_MODEL,
    gnss: { highSpeedRunningSpeed: thresholds.hsr, sprintSpeed: thresholds.sprint },
  };
}

function gnssFixOf(row: GnssRow): GnssFix {
  const fix: GnssFix = { t: row.t, lat: row.lat ?? Number.NaN, lon: row.lon ?? Number.NaN };
  if (row.speed !== null) fix.speed = row.speed;
  if (row.hdop !== null) fix.hdop = row.hdop;
  if (row.sats !== null) fix.sats = row.sats;
  return fix;
}

/** Figures of one athlete's readings in [from, to]; null when the window holds no readings. */
export function windowFigures(readings: Readings, setup: MetricSetup, from: number, to: number): LoadFigures | null {
  const hr = readings.hr.filter((r) => r.t >= from && r.t <= to && r.bpm !== null).map((r) => ({ t: r.t, bpm: r.bpm! }));
  const gnss = readings.gnss.filter((r) => r.t >= from && r.t <= to);
  const imu = readings.imu.filter((r) => r.t > from && r.t <= to && r.playerLoad !== null);
  if (hr.length === 0 && gnss.length === 0 && imu.length === 0) return null;

  // Without a profile, HR mean and max still stand; only TRIMP needs HRmax/HRrest/sex.
  const hrSummary = hr.length > 0 ? summarizeHrSession(hr, setup.profile ?? { hrMax: 200, hrRest: 60, sex: 'male', massKg: 75 }, { zoneModel: setup.zoneModel }) : null;
  const gnssSummary = gnss.length > 0 ? summarizeGnss(gnss.map(gnssFixOf), setup.gnss) : null;
  let playerLoad: { playerLoad: number; durationS: number } | null = null;
  if (imu.length > 0) {
    const accumulator = new PlayerLoadAccumulator();
    for (const r of imu) accumulator.pushIncrement(r.t, r.playerLoad!);
    const s = accumulator.snapshot();
    playerLoad = { playerLoad: s.playerLoad, durationS: s.durationS };
  }
  const durations = [hrSummary?.integratedSeconds, gnssSummary?.durationS, playerLoad?.durationS].filter((d): d is number => d !== undefined);
  return {
    duration_s: durations.length ? Math.max(...durations) : null,
    hr_mean: hrSummary?.meanBpm ?? null,
    hr_max: hrSummary?.maxBpm ?? null,
    trimp: hrSummary && setup.profile ? hrSummary.banisterTrimp : null,
    distance_m: gnssSummary?.distanceM ?? null,
    hsr_m: gnssSummary?.highSpeedRunning.distanceM ?? null,
    sprint_m: gnssSummary?.sprint.distanceM ?? null,
    player_load: playerLoad?.playerLoad ?? null,
  };
}

/** Foster's session-RPE load: RPE (CR-10) × the minutes the staff entered. */
export function srpeOf(entry: { rpe: number; duration_min: number } | undefined): number | null {
  return entry ? sessionRpeLoad(entry.rpe, entry.duration_min) : null;
}
