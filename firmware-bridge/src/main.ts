/**
 * The bridge's process entry: `node firmware-bridge/src/main.ts simulate --mqtt-url …`. It owns the
 * environment, printing, signals and exit codes; everything else is in the modules it calls.
 */
import { isTouchlineError } from '@touchline/core';
import { USAGE, parseBridgeArgs } from './cli-args.ts';
import { startSimulator } from './simulator/start-simulator.ts';

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

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
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
