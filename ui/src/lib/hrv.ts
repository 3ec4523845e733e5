/**
 * RMSSD over a sliding one-minute window, from core's streaming implementation: the same code and
 * window the hub's engine uses (hub/src/engine/engine.ts), so the trend drawn from stored RR
 * intervals joins the live values without a step. Imported by path because core's package entry
 * also carries the FIT and XML importers, which have no place in a browser bundle.
 */
export { RmssdStream } from '../../../core/src/hrv/rmssd-stream.ts';

/** The hub's live RMSSD window (engine.ts). */
export const RMSSD_WINDOW = { seconds: 60 } as const;
