import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig, networkKeyBytes, resolveBridgeConfig } from '../src/config/bridge-config.ts';
import { parseBridgeArgs } from '../src/cli-args.ts';

const dir = mkdtempSync(join(tmpdir(), 'touchline-bridge-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const simulatorOnly = { adapters: { simulator: { enabled: true } } };

describe('bridge configuration', () => {
  it('fills the documented defaults', () => {
    const config = resolveBridgeConfig(simulatorOnly);
    expect(config.bridge.id).toBe('touchline-bridge');
    expect(config.hub).toEqual({ mqttUrl: 'mqtt://localhost:1883', username: '', password: '', maxMessagesPerSecondPerAdapter: 350 });
    expect(config.spool).toEqual({ dir: './data/bridge-spool', maxMegabytesPerAdapter: 256, whenFull: 'drop-oldest' });
    expect(config.adapters.ble).toEqual({ enabled: false, hciDevices: [0], maxConnectionsPerAdapter: 7, connect: 'all', sensors: [] });
    expect(config.adapters.ant.usbIds).toEqual(['0fcf:1004', '0fcf:1008', '0fcf:1009']);
  });

  it.each<[string, unknown, string]>([
    ['an unknown key', { ...simulatorOnly, adapters: { ble: { colour: 'blue' } } }, 'adapters.ble.colour'],
    ['no adapter enabled', {}, 'adapters'],
    ['ANT without a network key', { adapters: { ant: { enabled: true } } }, 'adapters.ant.networkKey'],
    ['a network key of 7 bytes', { adapters: { ant: { enabled: true, networkKey: '00 11 22 33 44 55 66' } } }, 'adapters.ant.networkKey'],
    ['GNSS without pods', { adapters: { gnss: { enabled: true } } }, 'adapters.gnss.pods'],
    ['one pod listed twice', { adapters: { gnss: { enabled: true, pods: [{ path: '/dev/ttyACM0' }, { path: '/dev/ttyACM0' }] } } }, 'adapters.gnss.pods'],
    ['a pod baud rate of 7', { adapters: { gnss: { enabled: true, pods: [{ path: '/dev/ttyACM0', baudRate: 7 }] } } }, 'adapters.gnss.pods.0.baudRate'],
    ['listed BLE sensors without a list', { adapters: { ble: { enabled: true, connect: 'listed' } } }, 'adapters.ble.sensors'],
    ['11 connections per Bluetooth adapter', { adapters: { ble: { enabled: true, maxConnectionsPerAdapter: 11 } } }, 'adapters.ble.maxConnectionsPerAdapter'],
    ['a spool policy that does not exist', { ...simulatorOnly, spool: { whenFull: 'block' } }, 'spool.whenFull'],
    ['an http hub URL', { ...simulatorOnly, hub: { mqttUrl: 'http://hub:8080' } }, 'hub.mqttUrl'],
    ['a bridge id with a space', { ...simulatorOnly, bridge: { id: 'my bridge' } }, 'bridge.id'],
  ])('names the offending key for %s', (_, input, key) => {
    expect(() => resolveBridgeConfig(input)).toThrow(expect.objectContaining({ code: 'TL_ERR_CONFIG_INVALID', message: expect.stringContaining(`"${key}"`) }));
  });

  it('reads the network key in the usual spellings', () => {
    expect(Array.from(networkKeyBytes('00 11 22 33 44 55 66 77'))).toEqual([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]);
    const config = resolveBridgeConfig({ adapters: { ant: { enabled: true, networkKey: 'a0:b1:c2:d3:e4:f5:06:17' } } });
    expect(Array.from(networkKeyBytes(config.adapters.ant.networkKey))).toEqual([0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06, 0x17]);
  });

  it('reads YAML and takes the hub credential from the environment over the file', () => {
    const file = join(dir, 'bridge.yaml');
    writeFileSync(file, 'hub:\n  username: from-file\n  password: file-secret\nadapters:\n  simulator:\n    enabled: true\n');
    expect(loadBridgeConfig({ file, env: {} }).hub).toMatchObject({ username: 'from-file', password: 'file-secret' });
    expect(loadBridgeConfig({ file, env: { TOUCHLINE_BRIDGE_USERNAME: 'device-1', TOUCHLINE_BRIDGE_PASSWORD: 'env-secret' } }).hub).toMatchObject({
      username: 'device-1',
      password: 'env-secret',
    });
  });

  it('names a file it cannot read or parse', () => {
    expect(() => loadBridgeConfig({ file: join(dir, 'missing.yaml'), env: {} })).toThrow(expect.objectContaining({ code: 'TL_ERR_CONFIG_INVALID', message: expect.stringContaining('missing.yaml') }));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'adapters: [unclosed\n');
    expect(() => loadBridgeConfig({ file: bad, env: {} })).toThrow(expect.objectContaining({ code: 'TL_ERR_CONFIG_INVALID' }));
  });

  it('accepts the shipped config/bridge.yaml', () => {
    const config = loadBridgeConfig({ file: join(import.meta.dirname, '..', '..', 'config', 'bridge.yaml'), env: {} });
    expect(config.adapters.ble.enabled).toBe(true);
  });
});

describe('bridge command line: run', () => {
  it('runs with config/bridge.yaml unless told otherwise', () => {
    expect(parseBridgeArgs(['run'], {})).toEqual({ command: 'run', configPath: 'config/bridge.yaml' });
    expect(parseBridgeArgs(['run', '--config', '/etc/touchline/bridge.yaml'], {})).toEqual({ command: 'run', configPath: '/etc/touchline/bridge.yaml' });
  });

  it.each([[['run', '--athletes', '3']], [['simulate', '--config', 'x.yaml']], [['run', 'extra']]])('rejects %j with TL_ERR_CLI_USAGE', (argv) => {
    expect(() => parseBridgeArgs(argv, {})).toThrow(expect.objectContaining({ code: 'TL_ERR_CLI_USAGE' }));
  });
});
