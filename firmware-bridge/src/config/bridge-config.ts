/**
 * The bridge's configuration: `config/bridge.yaml` (or `--config FILE`), with the hub credential
 * optionally from TOUCHLINE_BRIDGE_USERNAME / TOUCHLINE_BRIDGE_PASSWORD so it stays out of the file
 * and out of `ps`. Validated once at start-up; an error names the offending key.
 */
import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { TouchlineError } from '@touchline/core/metrics';
import { SPOOL_POLICIES } from '../hub-link/spool.ts';

export const DEFAULT_CONFIG_PATH = 'config/bridge.yaml';

const section = <T extends Record<string, Type.TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: false, default: {} });
const Id = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });
const UsbId = Type.String({ pattern: '^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$' });
const Baud = Type.Integer({ minimum: 1200, maximum: 4_000_000, default: 115_200 });

export const BridgeConfigSchema = Type.Object(
  {
    bridge: section({
      id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'touchline-bridge', description: 'Names this bridge on the hub health page.' }),
    }),
    hub: section({
      mqttUrl: Type.String({ pattern: '^(mqtts?|tcp|wss?)://', default: 'mqtt://localhost:1883' }),
      username: Type.String({ default: '' }),
      password: Type.String({ default: '' }),
      maxMessagesPerSecondPerAdapter: Type.Integer({ minimum: 1, default: 350, description: "Keep below the hub's mqtt.maxMessagesPerSecondPerClient." }),
    }),
    spool: section({
      dir: Type.String({ minLength: 1, default: './data/bridge-spool' }),
      maxMegabytesPerAdapter: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, default: 256 }),
      whenFull: Type.Union(SPOOL_POLICIES.map((policy) => Type.Literal(policy)), { default: 'drop-oldest' }),
    }),
    adapters: section({
      simulator: section({
        enabled: Type.Boolean({ default: false }),
        athletes: Type.Integer({ minimum: 1, maximum: 99, default: 24 }),
        seed: Type.Integer({ default: 1 }),
        // Faster than 2× real time, pods would exceed the bridge's own per-device flood limit.
        speedup: Type.Number({ exclusiveMinimum: 0, maximum: 2, default: 1 }),
        dropoutRate: Type.Number({ minimum: 0, maximum: 1, default: 0.0005 }),
      }),
      ble: section({
        enabled: Type.Boolean({ default: false }),
        hciDevices: Type.Array(Type.Integer({ minimum: 0, maximum: 31 }), { minItems: 1, uniqueItems: true, default: [0] }),
        maxConnectionsPerAdapter: Type.Integer({ minimum: 1, maximum: 10, default: 7 }),
        connect: Type.Union([Type.Literal('all'), Type.Literal('listed')], { default: 'all' }),
        sensors: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Addresses (or ids) to connect when connect is "listed".' }),
      }),
      ant: section({
        enabled: Type.Boolean({ default: false }),
        networkKey: Type.String({ default: '', description: '8 bytes as hex: the ANT+ network key from thisisant.com.' }),
        usbIds: Type.Array(UsbId, { default: ['0fcf:1004', '0fcf:1008', '0fcf:1009'] }),
        ports: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Serial paths of sticks, in addition to those found by USB id.' }),
        baudRate: Baud,
      }),
      gnss: section({
        enabled: Type.Boolean({ default: false }),
        pods: Type.Array(
          Type.Object({ path: Type.String({ minLength: 1 }), sensorId: Type.Optional(Id), baudRate: Baud }, { additionalProperties: false }),
          { default: [] },
        ),
      }),
    }),
  },
  { additionalProperties: false },
);

export type BridgeConfig = Static<typeof BridgeConfigSchema>;

const checker = Compile(BridgeConfigSchema);

function invalid(key: string, message: string, detail: Record<string, unknown> = {}): TouchlineError {
  return new TouchlineError('TL_ERR_CONFIG_INVALID', `Bridge configuration key "${key}" ${message}`, { key, ...detail });
}

/** Validates a plain object and fills defaults; names the first offending key. */
export function resolveBridgeConfig(input: unknown): BridgeConfig {
  const withDefaults = Value.Default(BridgeConfigSchema, structuredClone(input ?? {}));
  if (!checker.Check(withDefaults)) {
    const errors = [...checker.Errors(withDefaults)].map((e) => {
      const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperties?: string[] }).additionalProperties : undefined;
      const key = [e.instancePath.slice(1).replaceAll('/', '.'), ...(extra ?? [])].filter(Boolean).join('.');
      const unknownKey = e.keyword === 'additionalProperties' || e.keyword === 'boolean';
      return { key: key || '(root)', message: unknownKey ? 'is not a known setting' : e.message };
    });
    const first = errors[0]!;
    throw invalid(first.key, first.message, { errors });
  }
  const config = withDefaults as BridgeConfig;
  const { simulator, ble, ant, gnss } = config.adapters;
  if (!simulator.enabled && !ble.enabled && !ant.enabled && !gnss.enabled) {
    throw invalid('adapters', 'enables no adapter; set enabled: true under ble, ant, gnss or simulator');
  }
  if (ant.enabled && !/^(?:[0-9a-fA-F]{2}[\s:-]?){7}[0-9a-fA-F]{2}$/.test(ant.networkKey.trim())) {
    throw invalid('adapters.ant.networkKey', 'must be the 8-byte ANT+ network key as 16 hex digits (from thisisant.com, as an ANT+ adopter)');
  }
  if (ble.enabled && ble.connect === 'listed' && ble.sensors.length === 0) {
    throw invalid('adapters.ble.sensors', 'must list at least one sensor address when connect is "listed"');
  }
  if (gnss.enabled && gnss.pods.length === 0) throw invalid('adapters.gnss.pods', 'must list at least one pod (path, and optionally sensorId and baudRate)');
  const paths = gnss.pods.map((pod) => pod.path);
  const duplicate = paths.find((path, i) => paths.indexOf(path) !== i);
  if (duplicate) throw invalid('adapters.gnss.pods', `lists ${duplicate} twice`);
  return config;
}

export interface LoadBridgeConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads the file (config/bridge.yaml by default), applies the credential from the environment, validates. */
export function loadBridgeConfig({ file = DEFAULT_CONFIG_PATH, env = process.env }: LoadBridgeConfigOptions = {}): BridgeConfig {
  let fromFile: Record<string, unknown>;
  try {
    const parsed = parseYaml(readFileSync(file, 'utf8')) as unknown;
    fromFile = parsed === null || parsed === undefined ? {} : (parsed as Record<string, unknown>);
  } catch (err) {
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Cannot read the bridge configuration ${file}: ${(err as Error).message}`, { path: file });
  }
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) throw invalid('(root)', 'must be a YAML mapping of sections');
  const hub = { ...((fromFile.hub as Record<string, unknown> | undefined) ?? {}) };
  if (env.TOUCHLINE_BRIDGE_USERNAME) hub.username = env.TOUCHLINE_BRIDGE_USERNAME;
  if (env.TOUCHLINE_BRIDGE_PASSWORD) hub.password = env.TOUCHLINE_BRIDGE_PASSWORD;
  return resolveBridgeConfig({ ...fromFile, hub });
}

/** The network key as bytes; the format was checked by resolveBridgeConfig. */
export function networkKeyBytes(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/[\s:-]/g, '').match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
}
