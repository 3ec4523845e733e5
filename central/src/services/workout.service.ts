/**
 * Workouts athletes bring from elsewhere (a run, a ride): the file is read by core's importers
 * (FIT, GPX, TCX, CSV), summarised with the athlete's own profile, and only the summary is kept.
 * A file that cannot be read stores nothing. The workout's TRIMP and distance count towards its
 * day's load like a session's.
 */
import { importWorkout, isTouchlineError, summarizeWorkout, TouchlineError, type WorkoutSummaryOptions } from '@touchline/core';
import type { WorkoutRepository } from '../repositories/workout.repository.ts';
import type { Workout } from '../schemas/analytics.schema.ts';
import { dayOf, type AggregationService } from './aggregation.service.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';

type WorkoutRow = Awaited<ReturnType<WorkoutRepository['list']>>[number];

function toWorkout(row: WorkoutRow): Workout {
  return {
    id: row.id,
    filename: row.filename,
    format: row.format,
    sport: row.sport,
    startedAt: row.started_at.getTime(),
    durationS: row.duration_s,
    distanceM: row.distance_m,
    hrMean: row.hr_mean,
    hrMax: row.hr_max,
    trimp: row.trimp,
    uploadedAt: row.uploaded_at.getTime(),
  };
}

function unreadable(message: string, reason: string): TouchlineError {
  return new TouchlineError('TL_ERR_WORKOUT_INVALID', message, { reason });
}

export class WorkoutService {
  private readonly repo: WorkoutRepository;
  private readonly scope: DataScope;
  private readonly aggregation: AggregationService;

  constructor(repo: WorkoutRepository, scope: DataScope, aggregation: AggregationService) {
    this.repo = repo;
    this.scope = scope;
    this.aggregation = aggregation;
  }

  async list(principal: Principal, athleteId: string): Promise<Workout[]> {
    await this.scope.requireAthlete(principal, athleteId, 'workouts');
    return (await this.repo.list(athleteId)).map(toWorkout);
  }

  async upload(principal: Principal, athleteId: string, filename: string, bytes: Uint8Array): Promise<Workout> {
    await this.scope.requireAthlete(principal, athleteId, 'workout-upload');
    const athlete = await this.repo.athleteProfile(athleteId);
    if (!athlete) throw new TouchlineError('TL_ERR_NOT_FOUND', `No athlete ${athleteId}`);
    const options: WorkoutSummaryOptions = {};
    if (athlete.hr_max !== null) options.hrMax = athlete.hr_max;
    if (athlete.hr_rest !== null) options.hrRest = athlete.hr_rest;
    if (athlete.sex === 'male' || athlete.sex === 'female') options.sex = athlete.sex;
    if (athlete.mass_kg !== null) options.massKg = athlete.mass_kg;

    let summary;
    try {
      const workout = importWorkout(bytes, filename);
      if (workout.timeBase !== 'unix') {
        throw unreadable(`${filename} has no wall-clock date (the device had no time fix), so it cannot be placed on a day`, 'NO_DATE');
      }
      if (athlete.birth_year !== null) options.ageYears = new Date(workout.start).getUTCFullYear() - athlete.birth_year;
      summary = summarizeWorkout(workout, options);
    } catch (err) {
      if (isTouchlineError(err)) {
        if (err.code === 'TL_ERR_WORKOUT_INVALID') throw err;
        throw unreadable(`${filename} could not be read: ${err.message}`, err.code);
      }
      // An importer tripping over bytes it did not expect is still a bad file, not a server fault.
      throw unreadable(`${filename} could not be read: ${(err as Error).message}`, 'UNREADABLE');
    }
    // TRIMP rests on the athlete's HRmax, HRrest and sex; a guessed profile would invent load.
    const guessed = summary.assumed.some((field) => field === 'hrMax' || field === 'hrRest' || field === 'sex');
    const startedAt = Date.parse(summary.start!);
    const created = await this.repo.insert(
      {
        athlete_id: athleteId,
        filename,
        format: summary.format,
        sport: summary.sport,
        started_at: new Date(startedAt),
        duration_s: summary.durationS,
        distance_m: summary.distanceM,
        hr_mean: summary.avgHr,
        hr_max: summary.maxHr,
        trimp: guessed ? null : summary.trimp,
        uploaded_by: principal.actor,
      },
      dayOf(startedAt),
    );
    this.aggregation.kick();
    return toWorkout(created);
  }
}
