/** The bridge's command line, parsed into options without touching the process, so tests can check it. */
import { parseArgs } from 'node:util';
import { TouchlineError } from '@touchline/core/metrics';
import { DEFAULT_CONFIG_PATH } from './config/bridge-config.ts';
import type { SimulatorOptions } from './simulator/start-simulator.ts';

export const USAGE = `usage: node firmware-bridge/src/main.ts run [--config FILE]
       node firmware-bridge/src/main.ts simulate [options]

run: reads BLE and ANT+ heart-rate straps, serial GNSS pods (and optionally the squad simulator)
as config/bridge.yaml (or FILE) enables them, and publishes their readings to the hub, buffering on
disk while the hub is unreachable. The hub credential comes from the file or from
TOUCHLINE_BRIDGE_USERNAME / TOUCHLINE_BRIDGE_PASSWORD.

simulate: simulates a squad training session and publishes every athlete's heart-rate strap and GNSS/IMU pod
to the hub over MQTT, one connection per device, until Ctrl-C.

  --mqtt-url URL          broker to publish to (default mqtt://localhost:1883)
  --username U            MQTT username (or env TOUCHLINE_BRIDGE_USERNAME)
  --password P            MQTT password (or env TOUCHLINE_BRIDGE_PASSWORD, which other users cannot see in ps)
  --athletes N            squad size 1..99 (default 24)
  --seed N                seed of the squad and the session (default 1)
  --malformed-rate R      fraction of messages sent malformed (default 0.001)
  --dropout-rate R        chance per device per second of falling silent for 5-40 s (default 0.0005)
  --speedup X             simulated seconds per real second (default 1)
  --qos 0|1               MQTT QoS of every message (default 1)
  --help                  show this text
`;

export interface BridgeEnv {
  username?: string;
  password?: string;
}

export type BridgeCommand = { command: 'help' } | { command: 'simulate'; options: SimulatorOptions } | { command: 'run'; configPath: string };

function numberOption(values: Record<string, string | boolean | undefined>, name: string, integer: boolean): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `--${name} needs ${integer ? 'an integer' : 'a number'}, got "${String(raw)}"`);
  }
  return value;
}

/** Drops the keys whose value is undefined, so the simulator's defaults apply. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

export function parseBridgeArgs(argv: readonly string[], env: BridgeEnv): BridgeCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'mqtt-url': { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        athletes: { type: 'string' },
        seed: { type: 'string' },
        'malformed-rate': { type: 'string' },
        'dropout-rate': { type: 'string' },
        speedup: { type: 'string' },
        qos: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `${(err as Error).message}. Run with --help.`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { command: 'help' };
  if (positionals.length !== 1 || (positionals[0] !== 'simulate' && positionals[0] !== 'run')) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `Unknown or missing command "${positionals.join(' ')}"; the bridge has: run, simulate. Run with --help.`);
  }
  if (positionals[0] === 'run') {
    const simulateOnly = ['mqtt-url', 'username', 'password', 'athletes', 'seed', 'malformed-rate', 'dropout-rate', 'speedup', 'qos'].filter((name) => values[name as keyof typeof values] !== undefined);
    if (simulateOnly.length > 0) throw new TouchlineError('TL_ERR_CLI_USAGE', `run takes its settings from the configuration file, not --${simulateOnly[0]}. Run with --help.`);
    return { command: 'run', configPath: values.config ?? DEFAULT_CONFIG_PATH };
  }
  if (values.config !== undefined) throw new TouchlineError('TL_ERR_CLI_USAGE', '--config belongs to run; simulate takes its settings as options. Run with --help.');
  const qos = numberOption(values, 'qos', true);
  if (qos !== undefined && qos !== 0 && qos !== 1) throw new TouchlineError('TL_ERR_CLI_USAGE', `--qos must be 0 or 1, got ${qos}`);
  const options: SimulatorOptions = defined({
    mqttUrl: values['mqtt-url'] ?? 'mqtt://localhost:1883',
    athletes: numberOption(values, 'athletes', true),
    seed: numberOption(values, 'seed', true),
    speedup: numberOption(values, 'speedup', false),
    qos: qos as 0 | 1 | undefined,
    faults: defined({
      malformedRate: numberOption(values, 'malformed-rate', false),
      dropoutRate: numberOption(values, 'dropout-rate', false),
    }),
  });
  const username = values.username ?? env.username;
  const password = values.password ?? env.password;
  if (username !== undefined && username !== '') options.username = username;
  if (password !== undefined && password !== '') options.password = password;
  return { command: 'simulate', options };
}
