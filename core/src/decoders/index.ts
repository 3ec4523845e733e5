/** Sensor payload decoders: BLE GATT characteristics, ANT serial frames and ANT+ pages, NMEA 0183. */
export * from './hex.ts';
export * from './ble-heart-rate.ts';
export * from './ble-battery.ts';
export * from './ble-rsc.ts';
export * from './ble-cycling-power.ts';
export * from './ant-frame.ts';
export * from './ant-messages.ts';
export * from './ant-hrm.ts';
export * from './nmea.ts';
export * from './nmea-fix-stream.ts';
