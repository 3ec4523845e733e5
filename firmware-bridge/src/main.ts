/**
 * The bridge's process entry: `node firmware-bridge/src/main.ts run [--config FILE]`, or
 * `… simulate --mqtt-url …`. It owns the
 * environment, printing, signals and exit codes; everything else is in the modules it calls.
 */
import { isTouchlineError } from '@touchline/core/metrics';
import { USAGE, parseBridgeArgs } from './cli-args.ts';
import type { LogLevel } from './adapter.ts';
import { startBridge } from './bridge.ts';
import { loadBridgeConfig } from './config/bridge-config.ts';
import { startSimulator } from './simulator/start-simulator.ts';

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function log(level: LogLevel, message: string): void {
  (level === 'info' ? process.stdout : process.stderr).write(`touchline-bridge: ${level === 'info' ? '' : `${level}: `}${message}\n`);
}

async function runBridge(configPath: string): Promise<number> {
  let bridge;
  try {
    const config = loadBridgeConfig({ file: configPath });
    bridge = await startBridge({ config, log });
  } catch (err) {
    if (!isTouchlineError(err)) throw err;
    process.stderr.write(`${err.code}: ${err.message}\n`);
    return 2;
  }
  const started = bridge.status();
  const summary = started.adapters.map((a) => `${a.id} ${a.state}${a.detail ? ` (${a.detail})` : ''}`).join('; ');
  log('info', `bridge "${started.bridgeId}" publishing to ${started.hub.url}: ${summary}; Ctrl-C to stop`);
  const signal = await waitForSignal();
  await bridge.stop();
  const stopped = bridge.status();
  const spooled = stopped.adapters.reduce((n, a) => n + a.outbox.queued, 0);
  log('info', `${signal}: stopped; ${spooled} message(s) kept on disk for the hub`);
  return 0;
}

async function main(): Promise<number> {
  let parsed;
  try {
    // The one place in the bridge that reads the environment.
    // eslint-disable-next-line no-restricted-properties
    const { TOUCHLINE_BRIDGE_USERNAME: username, TOUCHLINE_BRIDGE_PASSWORD: password } = process.env;
    parsed = parseBridgeArgs(process.argv.slice(2), { username, password });
  } catch (err) {
    if (!isTouchlineError(err)) throw err;
    process.stderr.write(`${err.code}: ${err.message}\n`);
    return 2;
  }
  if (parsed.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  if (parsed.command === 'run') return runBridge(parsed.configPath);

  const { options } = parsed;
  let simulator;
  try {
    simulator = await startSimulator(options);
  } catch (err) {
    if (!isTouchlineError(err)) throw err;
    process.stderr.write(`${err.code}: ${err.message}\n`);
    return err.code === 'TL_ERR_INVALID_ARGUMENT' ? 2 : 1;
  }
  const started = simulator.stats();
  const host = new URL(options.mqttUrl).host;
  process.stdout.write(
    `touchline-bridge: connected ${started.devices} simulated devices (${options.athletes ?? 24} athletes and a spare strap) to ${host}; Ctrl-C to stop\n`,
  );

  const signal = await waitForSignal();
  await simulator.stop();
  const { simulatedMs, published, acknowledged, model, dropped } = simulator.stats();
  process.stdout.write(
    `touchline-bridge: ${signal}, disconnected after ${Math.round(simulatedMs / 1000)} simulated s: ` +
      `${published} messages published, ${acknowledged} acknowledged, ${model.malformed} malformed on purpose, ` +
      `${model.dropouts} dropouts, ${dropped.offline + dropped.backlog} dropped while offline or backlogged\n`,
  );
  return 0;
}

process.exitCode = await main();
