/** @touchline/core: the sports-science library shared by the hub, the bridge, central and the CLI. */
export * from './errors.ts';
export * from './types.ts';
export * from './hr/index.ts';
export * from './hrv/index.ts';
export * from './gnss/index.ts';
export * from './imu/index.ts';
export * from './load/index.ts';
export * from './decoders/index.ts';
export * from './import/index.ts';
