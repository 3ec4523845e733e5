/**
 * Node-RED embedded headless in this child process (the embedding API of the `node-red` package:
 * RED.init(server, settings), RED.start()), running the flow file the bench generated. No editor
 * (httpAdminRoot false); the flow's websocket-listener hangs off this process's HTTP server.
 * Started with { port, userDir, flowFile } as the JSON argument; sends { type: 'ready' } over IPC
 * once the flow runs and the port listens; ended with SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';

interface NodeRed {
  init(server: Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
}

export interface NodeRedPeerConfig {
  port: number;
  userDir: string;
  flowFile: string;
}

// node-red is CommonJS and ships no type declarations.
const RED = createRequire(import.meta.url)('node-red') as NodeRed;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as NodeRedPeerConfig;
  const server = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  RED.init(server, {
    userDir: config.userDir,
    flowFile: config.flowFile,
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: '/',
    uiHost: '127.0.0.1',
    uiPort: config.port,
    functionExternalModules: false,
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } },
  });
  await RED.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => resolve());
  });
  process.send!({ type: 'ready' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
