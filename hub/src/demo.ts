/**
 * Demo mode, for trying the hub without hardware: creates the first admin with a random password
 * (printed once), a squad whose straps and pods are already paired, a wall-screen token, and starts
 * the squad simulator as its own process publishing over MQTT with a device credential, exactly as
 * real devices would.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { demoSquad } from '@touchline/firmware-bridge';
import type { Hub } from './app.ts';
import { FIRMWARE_BRIDGE_MAIN } from './install-paths.ts';

export interface DemoOptions {
  mqttPort: number;
  httpUrl: string;
  athletes: number;
}

const WALL_LABEL = 'demo wall screen';
const SIMULATOR_LABEL = 'demo simulator';
const DEMO_ACTOR = { role: 'admin' as const, actor: 'demo', userId: null, tokenHash: '' };

export async function startDemo(hub: Hub, options: DemoOptions): Promise<() => Promise<void>> {
  if (hub.auth.setupRequired) {
    const password = randomBytes(9).toString('base64url');
    await hub.auth.setup('admin', password);
    console.log(`  first start: admin account "admin", password ${password}  (shown once; change it under Settings)`);
  }

  const squad = demoSquad(options.athletes, 1);
  if (hub.athletes.list().length === 0) {
    for (const [i, member] of squad.entries()) {
      const id = `demo-${String(i + 1).padStart(2, '0')}`;
      await hub.athletes.create(
        {
          name: member.name,
          number: member.number,
          position: member.position,
          group: member.position,
          hrMax: member.hrMax,
          hrRest: member.hrRest,
          sex: member.sex,
          massKg: member.massKg,
          birthYear: member.birthYear,
          zones: null,
          thresholds: null,
        },
        id,
      );
      await hub.roster.pair(member.hrSensorId, id, Date.now());
      await hub.roster.pair(member.podSensorId, id, Date.now());
    }
  }

  // Tokens and secrets are shown once, so each start issues fresh ones and retires the last start's.
  for (const token of await hub.auth.listDisplayTokens()) {
    if (token.label === WALL_LABEL && token.revokedAt === null) await hub.auth.revokeDisplayToken(DEMO_ACTOR, token.id);
  }
  for (const credential of await hub.credentials.list()) {
    if (credential.label === SIMULATOR_LABEL && credential.revokedAt === null) await hub.credentials.revoke(DEMO_ACTOR, credential.id);
  }
  const wall = await hub.auth.createDisplayToken(DEMO_ACTOR, WALL_LABEL);
  console.log(`  wall screen ${options.httpUrl}/wall?token=${wall.token}`);

  const credential = await hub.credentials.create(DEMO_ACTOR, ['*'], SIMULATOR_LABEL);
  const child = spawn(process.execPath, [FIRMWARE_BRIDGE_MAIN, 'simulate', '--mqtt-url', `mqtt://127.0.0.1:${options.mqttPort}`, '--athletes', String(options.athletes)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // The child inherits this environment as any child process would, plus its device credential.
    // eslint-disable-next-line no-restricted-properties
    env: { ...process.env, TOUCHLINE_BRIDGE_USERNAME: credential.username, TOUCHLINE_BRIDGE_PASSWORD: credential.password },
  });
  console.log(`  simulating ${options.athletes} athletes over MQTT (simulator pid ${child.pid})`);

  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}
