/** Workout files (FIT, GPX, TCX, CSV) in one shape, and their summary. */
export type { TimeBase, Workout, WorkoutFormat, WorkoutRecord, WorkoutSegment } from './workout.ts';
export { importWorkout } from './import-workout.ts';
export {
  WORKOUT_PROFILE_DEFAULTS,
  summarizeWorkout,
  type HrZoneTime,
  type ProfileField,
  type WorkoutHrv,
  type WorkoutSummary,
  type WorkoutSummaryOptions,
} from './workout-summary.ts';
