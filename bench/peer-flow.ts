/**
 * The Node-RED flow a club would build instead of the hub: mqtt in (every sensor topic, QoS 1) →
 * a function node keeping heart-rate zone and Banister TRIMP per athlete → websocket out, one
 * WebSocket message per MQTT message. Each athlete's zone thresholds and TRIMP constants are taken
 * from @touchline/core, so the peer computes what the hub computes for the same squad.
 */
import { banisterConstants, DEFAULT_ZONE_MODEL, zoneThresholdsBpm } from '@touchline/core';
import type { DemoAthlete } from '@touchline/firmware-bridge';

export interface PeerFlowOptions {
  mqttPort: number;
  username: string;
  password: string;
  wsPath: string;
  squad: readonly DemoAthlete[];
}

interface SensorProfile {
  athlete: number;
  hrRest: number;
  hrMax: number;
  /** Lower bound of zones 1…5 in bpm. */
  zoneBpm: number[];
  /** Banister weighting a·e^(b·x). */
  a: number;
  b: number;
}

// Runs inside Node-RED's function node sandbox (plain JavaScript, `msg` and `context` in scope).
const FUNCTION_BODY = `
const parts = msg.topic.split('/'); // touchline/v1/sensors/{sensorId}/{stream}
const profile = context.get('profiles')[parts[3]];
const reading = msg.payload;
if (!profile || typeof reading !== 'object' || reading === null) return null;
const key = 'athlete-' + profile.athlete;
const state = context.get(key) || { bpm: null, zone: null, trimp: 0, hrT: null, speed: null, playerLoad: 0 };
switch (parts[4]) {
  case 'hr': {
    if (state.bpm !== null) {
      // Banister (1991) TRIMP: minutes · x · a·e^(b·x), x = (HR − HRrest)/(HRmax − HRrest), over the
      // interval since the previous reading at its rate; gaps beyond 5 s count as 5 s.
      const x = Math.max(0, (state.bpm - profile.hrRest) / (profile.hrMax - profile.hrRest));
      const minutes = Math.min(Math.max(0, reading.t - state.hrT), 5000) / 60000;
      state.trimp += minutes * x * profile.a * Math.exp(profile.b * x);
    }
    let zone = 0;
    while (zone < profile.zoneBpm.length && reading.bpm >= profile.zoneBpm[zone]) zone++;
    state.bpm = reading.bpm;
    state.zone = zone;
    state.hrT = reading.t;
    break;
  }
  case 'gnss':
    state.speed = reading.speed;
    break;
  case 'imu':
    state.playerLoad += reading.playerLoad || 0;
    break;
}
context.set(key, state);
msg.payload = { athlete: profile.athlete, t: reading.t, sentAt: Date.now(), bpm: state.bpm, zone: state.zone, trimp: state.trimp, speed: state.speed, playerLoad: state.playerLoad };
return msg;
`;

function profiles(squad: readonly DemoAthlete[]): Record<string, SensorProfile> {
  const bySensor: Record<string, SensorProfile> = {};
  squad.forEach((athlete, index) => {
    const { a, b } = banisterConstants(athlete.sex);
    const profile: SensorProfile = {
      athlete: index,
      hrRest: athlete.hrRest,
      hrMax: athlete.hrMax,
      zoneBpm: zoneThresholdsBpm(DEFAULT_ZONE_MODEL, { hrMax: athlete.hrMax, hrRest: athlete.hrRest, sex: athlete.sex, massKg: athlete.massKg }),
      a,
      b,
    };
    bySensor[athlete.hrSensorId] = profile;
    bySensor[athlete.podSensorId] = profile;
  });
  return bySensor;
}

/** The flow file (flows.json) and its credentials file (flows_cred.json, unencrypted). */
export function peerFlow(options: PeerFlowOptions): { flows: unknown[]; credentials: Record<string, unknown> } {
  const tab = 'touchline-peer';
  const flows = [
    { id: tab, type: 'tab', label: 'Touchline peer', disabled: false, info: 'Live HR zone and TRIMP per athlete, MQTT → WebSocket.' },
    {
      // Node-RED takes any property equal to a config node's id for a reference, so ids differ from names.
      id: 'broker-config',
      type: 'mqtt-broker',
      name: 'mosquitto',
      broker: '127.0.0.1',
      port: String(options.mqttPort),
      clientid: 'node-red-peer',
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
    },
    {
      id: 'sensors-in',
      type: 'mqtt in',
      z: tab,
      name: 'every sensor',
      topic: 'touchline/v1/sensors/+/+',
      qos: '1',
      datatype: 'json',
      broker: 'broker-config',
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      x: 140,
      y: 80,
      wires: [['zone-trimp']],
    },
    {
      id: 'zone-trimp',
      type: 'function',
      z: tab,
      name: 'zone and TRIMP per athlete',
      func: FUNCTION_BODY,
      outputs: 1,
      timeout: 0,
      noerr: 0,
      // "On Start": the squad's profiles are built once, not on every message.
      initialize: `context.set('profiles', ${JSON.stringify(profiles(options.squad))});`,
      finalize: '',
      libs: [],
      x: 380,
      y: 80,
      wires: [['live-out']],
    },
    { id: 'live-listener', type: 'websocket-listener', path: options.wsPath, wholemsg: 'false' },
    { id: 'live-out', type: 'websocket out', z: tab, name: 'live screens', server: 'live-listener', client: '', x: 620, y: 80, wires: [] },
  ];
  return { flows, credentials: { 'broker-config': { user: options.username, password: options.password } } };
}
