/**
 * Assembles central: database, services and the HTTP API, wired once here. `buildApp` never
 * listens; `main.ts` owns the port, signals and shutdown, and tests use `inject` or port 0.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CentralConfig } from './config/config.schema.ts';
import { openDatabase, type OpenedDatabase } from './db/database.ts';
import { DirectoryRepository } from './repositories/directory.repository.ts';
import { HubRepository } from './repositories/hub.repository.ts';
import { PortalRepository } from './repositories/portal.repository.ts';
import { ScopeRepository } from './repositories/scope.repository.ts';
import { ReachRepository } from './repositories/reach.repository.ts';
import { OverviewRepository } from './repositories/overview.repository.ts';
import { AthleteDataRepository } from './repositories/athlete-data.repository.ts';
import { UplinkRepository } from './repositories/uplink.repository.ts';
import { UserRepository } from './repositories/user.repository.ts';
import { AggregateRepository } from './repositories/aggregate.repository.ts';
import { AnalyticsRepository } from './repositories/analytics.repository.ts';
import { WorkoutRepository } from './repositories/workout.repository.ts';
import { AggregationService } from './services/aggregation.service.ts';
import { AnalyticsService } from './services/analytics.service.ts';
import { WorkoutService } from './services/workout.service.ts';
import { analyticsRoutes } from './routes/analytics.routes.ts';
import { workoutRoutes } from './routes/workout.routes.ts';
import { AuthService } from './services/auth.service.ts';
import { DataScope } from './services/data-scope.service.ts';
import { ReachService } from './services/reach.service.ts';
import { UserAdminService } from './services/user-admin.service.ts';
import { OverviewService } from './services/overview.service.ts';
import { AthleteDataService } from './services/athlete-data.service.ts';
import { OidcService, oidcSettings } from './services/oidc.service.ts';
import { DirectoryService } from './services/directory.service.ts';
import { HubRegistryService } from './services/hub-registry.service.ts';
import { PortalService } from './services/portal.service.ts';
import { UplinkIngestService } from './services/uplink-ingest.service.ts';
import { registerAccessControl } from './http/access.plugin.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { registerStaticUi } from './http/static.plugin.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { directoryRoutes } from './routes/directory.routes.ts';
import { hubRoutes } from './routes/hub.routes.ts';
import { portalRoutes } from './routes/portal.routes.ts';
import { peopleRoutes } from './routes/people.routes.ts';
import { athleteDataRoutes } from './routes/athlete-data.routes.ts';
import { oidcRoutes } from './routes/oidc.routes.ts';
import { uplinkRoutes } from './routes/uplink.routes.ts';

const DOCS = '/docs';

export interface BuildAppOptions {
  config: CentralConfig;
  /** PostgreSQL connection string (main.ts resolves DATABASE_URL or the embedded server). */
  databaseUrl: string;
  /** Signs portal tokens (main.ts reads it from config.jwtSecretFile). */
  jwtSecret: Uint8Array;
  logger?: boolean;
  now?: () => number;
}

export interface Central {
  app: FastifyInstance;
  database: OpenedDatabase;
  auth: AuthService;
  hubs: HubRegistryService;
  directory: DirectoryService;
  ingest: UplinkIngestService;
  portal: PortalService;
  scope: DataScope;
  aggregates: AggregationService;
  close(): Promise<void>;
}

export async function buildApp(options: BuildAppOptions): Promise<Central> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    // Closing drops open connections rather than waiting on them: hubs resend an unanswered batch
    // and central stores it once, so nothing is lost. A request already running still finishes its
    // transaction before the database pool closes.
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const database = await openDatabase(options.databaseUrl, { onError: (err) => app.log.warn({ err }, 'idle database connection lost') });
  const now = options.now ?? Date.now;
  const users = new UserRepository(database.db);
  const directoryRepo = new DirectoryRepository(database.db);
  const auth = new AuthService(users, { jwtSecret: options.jwtSecret, tokenMinutes: config.tokenMinutes, now });
  const hubs = new HubRegistryService({ hubs: new HubRepository(database.db), directory: directoryRepo, users, enrolmentCodeHours: config.enrolmentCodeHours, now });
  const scope = new DataScope(new ScopeRepository(database.db), (actor, action, target, detail) => auth.audit(actor, action, target, detail));
  const reach = new ReachService(scope, new ReachRepository(database.db));
  const directory = new DirectoryService({ repo: directoryRepo, users, reach, scope });
  const aggregates = new AggregationService(new AggregateRepository(database.db), { now, log: app.log });
  const ingest = new UplinkIngestService(new UplinkRepository(database.db, database.pool), { maxBatchRows: config.maxBatchRows, now, onCommitted: (hubId, batch) => aggregates.noteBatch(hubId, batch) });
  const portal = new PortalService({ repo: new PortalRepository(database.db), reach, scope, now });

  registerErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Touchline central API',
        version: '1',
        description: "Head office's view of every hub's data. Sign in with POST /api/auth/login and send the token as `Authorization: Bearer …`; hubs send their credential the same way.",
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS });
  registerAccessControl(app, auth, hubs, DOCS);

  await app.register(authRoutes, { auth });
  await app.register(directoryRoutes, { directory });
  await app.register(hubRoutes, { hubs, reach });
  await app.register(uplinkRoutes, { ingest, maxBatchBytes: config.maxBatchBytes, maxInflatedBytes: config.maxInflatedBytes });
  await app.register(portalRoutes, { portal, auth });
  await app.register(peopleRoutes, {
    users: new UserAdminService({ users, directory: directoryRepo, now }),
    overview: new OverviewService({ repo: new OverviewRepository(database.db), directory: directoryRepo, reach, now }),
  });
  await app.register(athleteDataRoutes, { athleteData: new AthleteDataService({ repo: new AthleteDataRepository(database.db), scope, reach, audit: (...a) => auth.audit(...a), now }) });
  await app.register(oidcRoutes, { oidc: new OidcService({ settings: oidcSettings(config), users, auth, secret: options.jwtSecret, now }) });
  await app.register(analyticsRoutes, { analytics: new AnalyticsService(new AnalyticsRepository(database.db), scope, now) });
  await app.register(workoutRoutes, { workouts: new WorkoutService(new WorkoutRepository(database.db), scope, aggregates) });
  await registerStaticUi(app, config.uiDir ? { dir: config.uiDir } : {});
  await app.ready();
  aggregates.start();

  let closed = false;
  return {
    app,
    database,
    auth,
    hubs,
    directory,
    ingest,
    portal,
    scope,
    aggregates,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await aggregates.close();
      await database.close();
    },
  };
}
