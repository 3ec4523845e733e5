/**
 * Assembles the hub: store, services, engine, broker and HTTP API, wired once here. `buildHub`
 * never listens; `main.ts` owns ports, signals and shutdown, and tests use `inject` or port 0.
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HubConfig } from './config/config.schema.ts';
import { openDatabase, type OpenedStore } from './store/database.ts';
import { SampleStore } from './store/sample-store.ts';
import { AthleteRepository } from './repositories/athlete.repository.ts';
import { SensorRepository } from './repositories/sensor.repository.ts';
import { AuthRepository } from './repositories/auth.repository.ts';
import { SettingsRepository } from './repositories/settings.repository.ts';
import { AlertRepository } from './repositories/alert.repository.ts';
import { SessionRepository } from './repositories/session.repository.ts';
import { AthleteService } from './services/athlete.service.ts';
import { RosterService } from './services/roster.service.ts';
import { DeviceCredentialService } from './services/device-credential.service.ts';
import { SettingsService } from './services/settings.service.ts';
import { HealthService } from './services/health.service.ts';
import { createHubMetrics } from './services/metrics.ts';
import { LiveRepublishService } from './services/live-republish.service.ts';
import { AlertService } from './services/alert.service.ts';
import { SessionService } from './services/session.service.ts';
import { SessionReportService } from './services/session-report.service.ts';
import { SessionExportService } from './services/session-export.service.ts';
import { BridgeStatusService } from './services/bridge-status.service.ts';
import { AuthService } from './auth/auth.service.ts';
import { UplinkRepository } from './uplink/uplink.repository.ts';
import { UplinkService, uplinkSettings } from './uplink/uplink.service.ts';
import { IngestService } from './ingest/ingest.service.ts';
import { Engine } from './engine/engine.ts';
import { LiveFeed } from './live/live-feed.ts';
import { createMqttBroker, type MqttBroker } from './broker/broker.ts';
import { registerAccessControl } from './http/access.plugin.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { schemaValidator } from './http/schema-validator.ts';
import { registerStaticUi } from './http/static.plugin.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { athleteRoutes } from './routes/athlete.routes.ts';
import { sensorRoutes } from './routes/sensor.routes.ts';
import { liveRoutes } from './routes/live.routes.ts';
import { historyRoutes } from './routes/history.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { settingsRoutes } from './routes/settings.routes.ts';
import { alertRoutes } from './routes/alert.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { bridgeRoutes } from './routes/bridge.routes.ts';

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
  settings: SettingsService;
  health: HealthService;
  republish: LiveRepublishService;
  alerts: AlertService;
  sessions: SessionService;
  /** Store-and-forward to central; null unless uplink.enabled. */
  uplink: UplinkService | null;
  close(): Promise<void>;
}

export interface BuildHubOptions {
  logger?: boolean;
  now?: () => number;
  /** The dashboard's static build; ui/build by default. */
  uiDir?: string;
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

  // Operator settings hold the default zones and thresholds the engine builds accumulators from.
  const settings = new SettingsService(new SettingsRepository(store.db));
  await settings.load();
  const engine = new Engine({ ...config.engine, athleteDefaults: settings.athleteDefaults(), ...(options.now ? { now: options.now } : {}) });
  settings.onChange(() => engine.setAthleteDefaults(settings.athleteDefaults()));
  for (const athlete of athletes.list()) engine.setAthlete(athlete.id, athlete);
  athletes.onChange((athlete, id) => engine.setAthlete(id, athlete));

  // Sessions: one runs at a time, starting one restarts the live totals, every change reaches the
  // screens (`live` is created below; nothing changes before the routes are up).
  const sessions = new SessionService({
    repo: new SessionRepository(store.db),
    audit: (actor, action, target, detail) => auth.audit(actor, action, target, detail),
    resetLiveTotals: () => engine.resetTotals(),
    broadcast: (session) => live.broadcast('session', { session }),
    athleteExists: (id) => athletes.has(id),
    ...(options.now ? { now: options.now } : {}),
  });
  await sessions.load();

  // Alerts exist before the sample store, which may report itself full as it opens.
  const alerts = new AlertService({
    repo: new AlertRepository(store.db),
    athletes: () => engine.all(),
    sensors: () => roster.list(),
    currentSessionId: () => sessions.current()?.id ?? null,
    publish: (alert) => live.broadcast('alert', { alert }),
    ...(options.now ? { now: options.now } : {}),
  });
  await alerts.load();

  const samples = new SampleStore(store.sqlite, store.path, {
    commitIntervalMs: config.store.commitIntervalMs,
    blockSeconds: config.store.blockSeconds,
    maxDiskBytes: config.store.maxDiskMegabytes * 1024 * 1024,
    maxPendingRows: config.store.maxPendingReadings,
    onFull: () => alerts.storeFull(),
  });
  const ingest = new IngestService({ roster, store: samples, sink: engine, maxPayloadBytes: config.mqtt.maxPayloadBytes, ...(options.now ? { now: options.now } : {}) });

  const liveSource = {
    snapshot: () => ({ athletes: engine.all(), alerts: alerts.activeAlerts(), session: sessions.current() }),
    athlete: (id: string) => engine.athlete(id),
  };
  const live = new LiveFeed(liveSource, config.live);
  engine.onChange((id) => live.athleteChanged(id));
  settings.onChange((current) => live.broadcast('settings', { settings: current }));

  // Reports and exports read the stored readings, with the zones and thresholds the engine uses.
  const sessionReports = new SessionReportService({ sessions, athletes, samples, athleteDefaults: () => settings.athleteDefaults(), ...(options.now ? { now: options.now } : {}) });
  const sessionExports = new SessionExportService({ sessions, athletes, samples, reports: sessionReports });

  // Firmware bridges report their adapters and devices over MQTT; the health page shows them.
  const bridges = new BridgeStatusService(options.now);
  const broker = await createMqttBroker({
    bridgeStatus: bridges,
    ingest,
    sensors: sensorRepo,
    allowAnonymous: config.demo.enabled,
    maxMessagesPerSecondPerClient: config.mqtt.maxMessagesPerSecondPerClient,
  });

  // Derived state back on MQTT for other tools, and the hub's own health and metrics.
  const republish = new LiveRepublishService(engine, broker.aedes);
  engine.onChange((id) => republish.athleteChanged(id));
  athletes.onChange((athlete, id) => (athlete ? republish.athleteChanged(id) : republish.forget(id)));
  // Store-and-forward to central when uplink.enabled: on its own timer, never on the ingest path.
  const uplinkConfig = uplinkSettings(config);
  const uplink = uplinkConfig ? new UplinkService({ repo: new UplinkRepository(store.db), samples, settings: uplinkConfig, ...(options.now ? { now: options.now } : {}) }) : null;
  const health = new HealthService({
    hubName: config.hub.name,
    dataDir: config.hub.dataDir,
    maxStoreBytes: config.store.maxDiskMegabytes * 1024 * 1024,
    sqlite: store.sqlite,
    broker,
    ingest,
    samples,
    live,
    roster,
    engine,
    uplink,
  });
  const metrics = createHubMetrics(health);

  const app = Fastify({
    logger: options.logger ?? false,
    // Payloads beyond this are refused before they are buffered.
    bodyLimit: 1_048_576,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(schemaValidator);
  registerErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Touchline hub API', version: '1', description: 'Live team-sport tracking on the training ground. Sign in with POST /api/auth/login and send the token as `Authorization: Bearer …`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // The API reference is public, like the source it documents; every route it lists checks access itself.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, role: 'public' };
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  registerAccessControl(app, auth);

  await app.register(authRoutes, { auth, sessionHours: config.auth.sessionHours });
  await app.register(athleteRoutes, { athletes, auth });
  await app.register(sensorRoutes, { roster, credentials, auth, ingest });
  await app.register(liveRoutes, { live, source: liveSource, broker });
  await app.register(historyRoutes, { samples, athletes });
  await app.register(healthRoutes, { health, metrics });
  await app.register(settingsRoutes, { settings, auth });
  await app.register(alertRoutes, { alerts, auth });
  await app.register(sessionRoutes, { sessions, reports: sessionReports, exports: sessionExports, auth });
  await app.register(bridgeRoutes, { bridges });
  // Last: the dashboard answers every GET path the API does not.
  await registerStaticUi(app, options.uiDir ? { dir: options.uiDir } : {});

  engine.start();
  health.start();
  republish.start();
  alerts.start();
  uplink?.start();
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
    alerts,
    sessions,
    uplink,
    settings,
    health,
    republish,
    async close() {
      if (closed) return;
      closed = true;
      await uplink?.stop();
      health.stop();
      republish.close();
      clearInterval(flushRoster);
      engine.stop();
      await alerts.stop();
      live.close();
      await broker.close();
      await app.close();
      await samples.close();
      await roster.flush(true);
      await store.db.destroy();
    },
  };
}
