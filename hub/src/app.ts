/**
 * Assembles the hub: store, services, engine, broker and HTTP API, wired once here. `buildHub`
 * never listens; `main.ts` owns ports, signals and shutdown, and tests use `inject` or port 0.
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubConfig } from './config/config.schema.ts';
import { openDatabase, type OpenedStore } from './store/database.ts';
import { SampleStore } from './store/sample-store.ts';
import { AthleteRepository } from './repositories/athlete.repository.ts';
import { SensorRepository } from './repositories/sensor.repository.ts';
import { AuthRepository } from './repositories/auth.repository.ts';
import { AthleteService } from './services/athlete.service.ts';
import { RosterService } from './services/roster.service.ts';
import { DeviceCredentialService } from './services/device-credential.service.ts';
import { AuthService } from './auth/auth.service.ts';
import { IngestService } from './ingest/ingest.service.ts';
import { Engine } from './engine/engine.ts';
import { LiveFeed } from './live/live-feed.ts';
import { createMqttBroker, type MqttBroker } from './broker/broker.ts';
import { registerAccessControl } from './http/access.plugin.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { athleteRoutes } from './routes/athlete.routes.ts';
import { sensorRoutes } from './routes/sensor.routes.ts';
import { liveRoutes } from './routes/live.routes.ts';
import { historyRoutes } from './routes/history.routes.ts';

export interface Hub {
  config: HubConfig;
  app: FastifyInstance;
  broker: MqttBroker;
  store: OpenedStore;
  samples: SampleStore;
  engine: Engine;
  ingest: IngestService;
  roster: RosterService;
  athletes: AthleteService;
  auth: AuthService;
  credentials: DeviceCredentialService;
  live: LiveFeed;
  close(): Promise<void>;
}

export interface BuildHubOptions {
  logger?: boolean;
  now?: () => number;
}

export function databasePath(config: HubConfig): string {
  return join(config.hub.dataDir, 'hub.sqlite');
}

export async function buildHub(config: HubConfig, options: BuildHubOptions = {}): Promise<Hub> {
  const store = await openDatabase(databasePath(config));
  const athleteRepo = new AthleteRepository(store.db);
  const sensorRepo = new SensorRepository(store.db);
  const authRepo = new AuthRepository(store.db);

  const athletes = new AthleteService(athleteRepo);
  await athletes.load();
  const roster = new RosterService(sensorRepo, (id) => athletes.has(id));
  await roster.load();
  const auth = new AuthService(authRepo, { ...config.auth, ...(options.now ? { now: options.now } : {}) });
  await auth.load();
  const credentials = new DeviceCredentialService(sensorRepo, auth);

  const engine = new Engine({ ...config.engine, ...(options.now ? { now: options.now } : {}) });
  for (const athlete of athletes.list()) engine.setAthlete(athlete.id, athlete);
  athletes.onChange((athlete, id) => engine.setAthlete(id, athlete));

  const samples = new SampleStore(store.sqlite, store.path, {
    commitIntervalMs: config.store.commitIntervalMs,
    blockSeconds: config.store.blockSeconds,
    maxDiskBytes: config.store.maxDiskMegabytes * 1024 * 1024,
  });
  const ingest = new IngestService({ roster, store: samples, sink: engine, maxPayloadBytes: config.mqtt.maxPayloadBytes, ...(options.now ? { now: options.now } : {}) });

  const liveSource = {
    snapshot: () => ({ athletes: engine.all(), session: null }),
    athlete: (id: string) => engine.athlete(id),
  };
  const live = new LiveFeed(liveSource, config.live);
  engine.onChange((id) => live.athleteChanged(id));

  const broker = await createMqttBroker({
    ingest,
    sensors: sensorRepo,
    allowAnonymous: config.demo.enabled,
    maxMessagesPerSecondPerClient: config.mqtt.maxMessagesPerSecondPerClient,
  });

  const app = Fastify({
    logger: options.logger ?? false,
    // Payloads beyond this are refused before they are buffered.
    bodyLimit: 1_048_576,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  registerErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Touchline hub API', version: '1', description: 'Live team-sport tracking on the training ground. Sign in with POST /api/auth/login and send the token as `Authorization: Bearer …`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  registerAccessControl(app, auth);

  await app.register(authRoutes, { auth, sessionHours: config.auth.sessionHours });
  await app.register(athleteRoutes, { athletes, auth });
  await app.register(sensorRoutes, { roster, credentials, auth, ingest });
  await app.register(liveRoutes, { live, source: liveSource, broker });
  await app.register(historyRoutes, { samples, athletes });

  engine.start();
  const flushRoster = setInterval(() => void roster.flush(true), 10_000);
  flushRoster.unref();

  let closed = false;
  return {
    config,
    app,
    broker,
    store,
    samples,
    engine,
    ingest,
    roster,
    athletes,
    auth,
    credentials,
    live,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flushRoster);
      engine.stop();
      live.close();
      await broker.close();
      await app.close();
      samples.close();
      await roster.flush(true);
      await store.db.destroy();
    },
  };
}
