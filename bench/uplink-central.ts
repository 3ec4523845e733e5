/** Starts and talks to central running in its own process (bench/uplink-central-child.ts). */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { CentralChildJob, CentralChildMessage, MEASURED_ROUTES } from './uplink-central-child.ts';
import { stopChild, unlessExited } from './processes.ts';

export interface CentralProcess {
  url: string;
  pid: number;
  /** Whether each measured portal route exists in this build of central. */
  routes: Record<keyof typeof MEASURED_ROUTES, boolean>;
  adminToken: string;
  /** A JSON call with the admin's token; throws unless the answer is 2xx. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startCentralProcess(repoRoot: string, databaseUrl: string): Promise<CentralProcess> {
  const job: CentralChildJob = { databaseUrl };
  const child = fork(join(repoRoot, 'bench/uplink-central-child.ts'), [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await unlessExited(
      child,
      'central',
      new Promise<Extract<CentralChildMessage, { type: 'ready' }>>((resolve, reject) =>
        child.once('message', (m) => {
          const message = m as CentralChildMessage;
          if (message.type === 'ready') resolve(message);
          else reject(new Error(`central did not start: ${message.message}`));
        }),
      ),
    );
    const call = async <T>(method: string, path: string, body: unknown, token: string | null): Promise<T> => {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(ready.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const { token } = await call<{ token: string }>('POST', '/api/auth/login', { email: ready.adminEmail, password: ready.adminPassword }, null);
    return {
      url: ready.url,
      pid: child.pid!,
      routes: ready.routes as CentralProcess['routes'],
      adminToken: token,
      api: (method, path, body) => call(method, path, body, token),
      stop: () => stopChild(child),
    };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}
