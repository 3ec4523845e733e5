/** The squad simulator: a seeded model of a training session and its devices, and an MQTT runner. */
export { demoSquad, strapSensorId, podSensorId, SPARE_STRAP_ID, MAX_SIMULATED_ATHLETES, type DemoAthlete, type DemoSquadOptions, type PlayingPosition } from './squad.ts';
export { DEFAULT_SESSION_SCRIPT, PHASE_KINDS, phaseAt, scriptDurationS, type PhaseKind, type PhasePosition, type SessionPhase } from './session-script.ts';
export { DEFAULT_ORIGIN, PITCH_LENGTH_M, PITCH_WIDTH_M, pitchToLatLon, type PitchPoint } from './pitch.ts';
export { DEFAULT_FAULT_RATES, DROPOUT_SECONDS, MALFORMED_KINDS, type FaultRates, type MalformedKind, type SensorStream } from './faults.ts';
export { MAX_ACCELERATION } from './movement.ts';
export { HR_CEILING_FRACTION, HR_TAU_OFF_S, HR_TAU_ON_S } from './physiology.ts';
export {
  DEFAULT_BATTERY_DRAIN_PCT_PER_MINUTE,
  TICK_MS,
  createSquadModel,
  sensorTopic,
  type AthleteTruth,
  type ModelCounters,
  type SimDevice,
  type SimMessage,
  type SquadModel,
  type SquadModelOptions,
} from './squad-model.ts';
export { startSimulator, type RunningSimulator, type SimulatorOptions, type SimulatorStats } from './start-simulator.ts';
