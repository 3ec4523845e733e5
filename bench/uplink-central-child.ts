/**
 * Central in a process of its own, as in production: `buildApp` on the given database, listening on
 * a free loopback port, with a first admin. The parent (bench/uplink-central.ts) gets the address
 * and the admin's password over IPC and stops it with SIGTERM.
 */
import { buildApp } from '../central/src/app.ts';
import { resolveConfig } from '../central/src/config/load-config.ts';

export interface CentralChildJob {
  databaseUrl: string;
}

export type CentralChildMessage =
  | { type: 'ready'; url: string; adminEmail: string; adminPassword: string; routes: Record<string, boolean> }
  | { type: 'error'; message: string };

/** The portal routes the bench measures; absent ones are reported as waiting. */
export const MEASURED_ROUTES = { teamLoad: '/api/teams/:id/load' } as const;

const ADMIN_EMAIL = 'bench-admin@example.org';

{
  const job = JSON.parse(process.argv[2] ?? '') as CentralChildJob;
  const send = (message: CentralChildMessage) => process.send!(message);
  try {
    const central = await buildApp({
      config: resolveConfig({ host: '127.0.0.1', port: 0 }),
      databaseUrl: job.databaseUrl,
      jwtSecret: new TextEncoder().encode('touchline-bench-secret-touchline-bench'),
    });
    const adminPassword = await central.auth.bootstrapAdmin(ADMIN_EMAIL);
    if (!adminPassword) throw new Error('the bench database already had an admin');
    await central.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = central.app.server.address() as { port: number };
    const routes = Object.fromEntries(Object.entries(MEASURED_ROUTES).map(([name, url]) => [name, central.app.hasRoute({ method: 'GET', url })]));
    process.once('SIGTERM', () => void central.close().then(() => process.exit(0)));
    send({ type: 'ready', url: `http://127.0.0.1:${port}`, adminEmail: ADMIN_EMAIL, adminPassword, routes });
  } catch (err) {
    process.send!({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies CentralChildMessage, () => process.exit(1));
  }
}
