/** Accelerometer load: Catapult PlayerLoad, batch and streaming. */
export {
  DEFAULT_PLAYER_LOAD_CONVENTIONS,
  PlayerLoadAccumulator,
  playerLoadStep,
  summarizePlayerLoad,
  type PlayerLoadConventions,
  type PlayerLoadOptions,
  type PlayerLoadResult,
  type PlayerLoadState,
  type ReadingCounts,
  type ReadingVerdict,
} from './player-load.ts';
