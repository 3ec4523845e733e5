/**
 * The live part of @touchline/core: metric math, load models and sensor decoders, without the
 * workout-file importers. Long-running processes that never read files (the hub, the bridge) import
 * this, and spare the memory of the FIT SDK and the XML parser the importers bring.
 */
export * from './errors.ts';
export * from './types.ts';
export * from './hr/index.ts';
export * from './hrv/index.ts';
export * from './gnss/index.ts';
export * from './imu/index.ts';
export * from './load/index.ts';
export * from './decoders/index.ts';
