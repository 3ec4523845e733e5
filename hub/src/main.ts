/**
 * The hub process: loads and validates the configuration, builds the hub, listens on the HTTP
 * and MQTT ports, and shuts down cleanly on SIGINT/SIGTERM. `--demo` turns on demo mode: a
 * simulated squad publishing over MQTT from its own process, and an admin created on first start
 * with a random password printed once.
 */
import { parseArgs } from 'node:util';
import { isTouchlineError } from '@touchline/core/metrics';
import { loadConfig } from './config/load-config.ts';
import { buildHub } from './app.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean' }, config: { type: 'string' } }, strict: true });
  const config = loadConfig({ ...(values.config ? { file: values.config } : {}), overrides: values.demo ? { demo: { enabled: true } } : {} });
  const hub = await buildHub(config, { logger: false });

  let stopDemo: (() => Promise<void>) | undefined;
  const shutdown = async (signal: string) => {
    console.log(`touchline hub: ${signal}, shutting down`);
    await stopDemo?.();
    await hub.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const mqttPort = await hub.broker.listen(config.mqtt.host, config.mqtt.port);
    await hub.app.listen({ host: config.http.host, port: config.http.port });
    const httpPort = (hub.app.server.address() as { port: number }).port;
    const url = `http://localhost:${httpPort}`;
    console.log(`touchline hub "${config.hub.name}" is running`);
    console.log(`  dashboard  ${url}/`);
    console.log(`  API docs   ${url}/docs`);
    console.log(`  live API   ${url}/api/live`);
    console.log(`  MQTT       mqtt://localhost:${mqttPort}  (and ws://localhost:${httpPort}/mqtt)`);
    if (config.demo.enabled) {
      // Loaded only in demo mode: a production hub does not ship the simulator.
      const { startDemo } = await import('./demo.ts');
      stopDemo = await startDemo(hub, { mqttPort, httpUrl: url, athletes: config.demo.athletes });
    }
  } catch (err) {
    await hub.close();
    throw err;
  }
}

main().catch((err: unknown) => {
  if (isTouchlineError(err)) {
    console.error(`${err.code}: ${err.message}`);
    process.exit(2);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`TL_ERR_PORT_IN_USE: ${(err as Error).message}; choose another http.port (TOUCHLINE_HTTP_PORT)`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
