import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBridgeArgs } from '../src/cli-args.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

describe('parseBridgeArgs', () => {
  it('applies the documented defaults', () => {
    expect(parseBridgeArgs(['simulate'], {})).toEqual({ command: 'simulate', options: { mqttUrl: 'mqtt://localhost:1883', faults: {} } });
  });

  it('reads every option', () => {
    const argv = ['simulate', '--mqtt-url', 'mqtt://hub.local:1883', '--athletes', '12', '--seed', '7', '--malformed-rate', '0.01', '--dropout-rate', '0'];
    expect(parseBridgeArgs([...argv, '--speedup', '2.5', '--qos', '0', '--username', 'u', '--password', 'p'], {})).toEqual({
      command: 'simulate',
      options: {
        mqttUrl: 'mqtt://hub.local:1883',
        athletes: 12,
        seed: 7,
        speedup: 2.5,
        qos: 0,
        faults: { malformedRate: 0.01, dropoutRate: 0 },
        username: 'u',
        password: 'p',
      },
    });
  });

  it('takes credentials from the environment unless given on the command line', () => {
    const env = { username: 'env-user', password: 'env-pass' };
    expect(parseBridgeArgs(['simulate'], env)).toMatchObject({ options: { username: 'env-user', password: 'env-pass' } });
    expect(parseBridgeArgs(['simulate', '--username', 'cli-user'], env)).toMatchObject({ options: { username: 'cli-user', password: 'env-pass' } });
    expect(parseBridgeArgs(['simulate'], { username: '', password: '' })).not.toHaveProperty('options.username');
  });

  it('answers --help', () => {
    expect(parseBridgeArgs(['--help'], {})).toEqual({ command: 'help' });
    expect(parseBridgeArgs(['simulate', '-h'], {})).toEqual({ command: 'help' });
  });

  it.each([
    [[]],
    [['emulate']],
    [['simulate', 'extra']],
    [['simulate', '--athletes', 'many']],
    [['simulate', '--athletes', '2.5']],
    [['simulate', '--malformed-rate', '']],
    [['simulate', '--qos', '2']],
    [['simulate', '--colour', 'red']],
    [['simulate', '--seed']],
  ])('rejects %j with TL_ERR_CLI_USAGE', (argv) => {
    expect(() => parseBridgeArgs(argv, {})).toThrow(expect.objectContaining({ code: 'TL_ERR_CLI_USAGE' }));
  });
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number);
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('the bridge process', () => {
  let broker: Aedes;
  let server: net.Server;
  let url: string;
  const deviceIds: string[] = [];
  let messages = 0;

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.authenticate = (_client, username, password, done) => done(null, username === 'bridge' && password?.toString() === 'secret');
    broker.on('client', (client) => deviceIds.push(client.id));
    broker.on('publish', (packet, client) => {
      if (client) messages++;
    });
    server = net.createServer(broker.handle);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('prints one line when connected, publishes until SIGINT, then disconnects and exits 0', async () => {
    const bridge = run(['simulate', '--mqtt-url', url, '--athletes', '2', '--speedup', '5'], {
      TOUCHLINE_BRIDGE_USERNAME: 'bridge',
      TOUCHLINE_BRIDGE_PASSWORD: 'secret',
    });
    await expect.poll(() => bridge.output().stdout, { timeout: 8000 }).toContain('connected');
    expect(bridge.output().stdout.trim().split('\n')).toHaveLength(1);
    expect(bridge.output().stdout).toMatch(/connected 5 simulated devices \(2 athletes and a spare strap\) to 127\.0\.0\.1:\d+/);
    await expect.poll(() => messages, { timeout: 5000 }).toBeGreaterThan(100);
    bridge.child.kill('SIGINT');
    expect(await bridge.exited).toBe(0);
    expect(bridge.output().stdout).toMatch(/SIGINT, disconnected after \d+ simulated s: \d+ messages published/);
    expect(bridge.output().stderr).toBe('');
    expect(deviceIds.sort()).toEqual(['sim-hr-01', 'sim-hr-02', 'sim-hr-spare', 'sim-pod-01', 'sim-pod-02']);
    await expect.poll(() => broker.connectedClients, { timeout: 2000 }).toBe(0);
  });

  it('exits 2 with a coded message on a bad command line, and 1 when the broker refuses it', async () => {
    const usage = run(['simulate', '--athletes', 'lots']);
    const refused = run(['simulate', '--mqtt-url', url, '--athletes', '1', '--username', 'bridge', '--password', 'wrong']);
    expect(await usage.exited).toBe(2);
    expect(usage.output().stderr).toMatch(/^TL_ERR_CLI_USAGE: --athletes needs an integer/);
    expect(await refused.exited).toBe(1);
    expect(refused.output().stderr).toMatch(/^TL_ERR_MQTT_CONNECT: sim-/);
    expect(refused.output().stderr).not.toContain('wrong');
  });
});
