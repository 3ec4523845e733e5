/** @touchline/firmware-bridge: device-facing adapters that publish to the hub over MQTT. */
export * from './simulator/index.ts';
