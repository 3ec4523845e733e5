/** `node firmware-bridge/src/main.ts run` as its own process, as pm2 runs it, against a real hub. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../hub/test/test-hub.ts';
import type { BridgeStatus } from '../src/bridge.ts';
import { until } from './support/capture-context.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

interface BridgeEntry {
  bridgeId: string;
  online: boolean;
  status: BridgeStatus;
}

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output, exit: once(child, 'exit') as Promise<[number | null, string | null]> };
}

describe('bridge process', () => {
  let hub: TestHub;
  let dir: string;
  let credential: { username: string; password: string };

  beforeAll(async () => {
    hub = await startTestHub();
    dir = mkdtempSync(join(tmpdir(), 'touchline-bridge-run-'));
    credential = (await hub.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'bridge' })).body;
  });

  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the adapters its configuration enables, reports to the hub, and stops on SIGTERM keeping its status', async () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(
      config,
      [
        'bridge:\n  id: cli-bridge',
        `hub:\n  mqttUrl: ${hub.mqttUrl}`,
        `spool:\n  dir: ${join(dir, 'spool')}`,
        'adapters:\n  simulator:\n    enabled: true\n    athletes: 2\n    dropoutRate: 0',
        '  gnss:\n    enabled: true\n    pods:\n      - path: /dev/touchline-no-such-pod\n        sensorId: gnss-missing',
      ].join('\n'),
    );
    const bridge = run(['run', '--config', config], { TOUCHLINE_BRIDGE_USERNAME: credential.username, TOUCHLINE_BRIDGE_PASSWORD: credential.password });
    const entry = async () => (await hub.api<{ bridges: BridgeEntry[] }>('GET', '/api/bridges')).body.bridges.find((b) => b.bridgeId === 'cli-bridge');
    try {
      await until(async () => ((await entry())?.status.adapters[0]?.outbox.acknowledged ?? 0) > 20, 20_000, 'acknowledged readings in the status');
      const { status, online } = (await entry())!;
      expect(online).toBe(true);
      expect(status.adapters.map((a) => [a.id, a.state])).toEqual([
        ['simulator', 'running'],
        ['gnss', 'running'],
      ]);
      // A pod that is not plugged in is a device problem, not a bridge failure.
      expect(status.adapters[1]!.devices[0]).toMatchObject({ sensorId: 'gnss-missing', state: 'reconnecting', problem: expect.stringContaining('/dev/touchline-no-such-pod') });
      const sensors = (await hub.api<{ id: string }[]>('GET', '/api/sensors')).body.map((s) => s.id);
      expect(sensors).toEqual(expect.arrayContaining(['sim-hr-01', 'sim-pod-01', 'sim-hr-spare']));
      expect(bridge.output.stdout).toContain('bridge "cli-bridge" publishing to mqtt://127.0.0.1');
    } finally {
      bridge.child.kill('SIGTERM');
    }
    const [code] = await bridge.exit;
    expect(code).toBe(0);
    expect(bridge.output.stdout).toMatch(/SIGTERM: stopped; \d+ message\(s\) kept on disk/);
    await until(async () => (await entry())?.status.state === 'stopped', 3000, 'the final status');
    expect((await entry())!.online).toBe(false);
  }, 45_000);

  it('exits with status 2 naming the key when its configuration is wrong', async () => {
    const config = join(dir, 'wrong.yaml');
    writeFileSync(config, 'adapters:\n  ant:\n    enabled: true\n');
    const bridge = run(['run', '--config', config]);
    const [code] = await bridge.exit;
    expect(code).toBe(2);
    expect(bridge.output.stderr).toContain('TL_ERR_CONFIG_INVALID: Bridge configuration key "adapters.ant.networkKey"');
  });
});
