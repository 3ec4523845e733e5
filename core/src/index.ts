/** @touchline/core: the sports-science library shared by the hub, the bridge, central and the CLI. */
export * from './metrics.ts';
export * from './import/index.ts';
