import { parseHex } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BleAdapter, type BleAdapterOptions } from '../src/adapters/ble/ble.adapter.ts';
import { captureContext, until } from './support/capture-context.ts';
import { FakeCharacteristic, FakeRadio, fakeRadios, fakeStrap, type FakePeripheral } from './support/fake-noble.ts';

const adapters: BleAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((adapter) => adapter.stop()));
});

function ble(radios: FakeRadio[], options: Partial<BleAdapterOptions> = {}) {
  const adapter = new BleAdapter({ hciDevices: radios.map((_, i) => i), maxConnectionsPerAdapter: 7, connect: 'all', sensors: [], loadRadios: fakeRadios(radios), ...options });
  adapters.push(adapter);
  return adapter;
}

const device = (adapter: BleAdapter, sensorId: string) => adapter.status().devices.find((d) => d.sensorId === sensorId);
const subscribed = (strap: FakePeripheral) => () => strap.characteristic('2a37').subscribed;

describe('BLE adapter on a fake noble binding', () => {
  it('decodes the reference notifications into heart rate and every plausible RR, and reads the battery', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio]);
    const context = captureContext();
    await adapter.start(context);
    expect(radio.scanFilter).toEqual(['180d', '1814']);
    const strap = fakeStrap('A0:9E:1A:12:34:56', { battery: 87, rssi: -71 });
    radio.advertise(strap);
    await until(subscribed(strap), 2000, 'subscription');
    const hr = strap.characteristic('2a37');
    // reference/protocols.md §1.3.
    hr.notify(parseHex('16 48 54 01 EC 02')); // HR 72, RR [340, 748]/1024 s (SmartGattLib)
    hr.notify(parseHex('10 5A 00 08 00 10')); // HR 90, RR [2048, 4096]/1024 s = 2 s, 4 s (bluetooth-sig-python)
    hr.notify(parseHex('02 50')); // bit 1 alone: contact not supported, HR 80
    hr.notify(parseHex('04 50')); // contact supported but not detected: not a heart rate
    hr.notify(parseHex('11 00 00 FF FF 7F 80')); // HR 0 (polar-ble-sdk): impossible
    const sensorId = 'ble-a0:9e:1a:12:34:56';
    expect(context.readings).toEqual([
      { sensorId, stream: 'battery', t: expect.any(Number), pct: 87 },
      { sensorId, stream: 'hr', t: expect.any(Number), bpm: 72, rr: [332.03125, 730.46875] },
      // 4 s is beyond the contract's 3000 ms: that interval alone is dropped.
      { sensorId, stream: 'hr', t: expect.any(Number), bpm: 90, rr: [2000] },
      { sensorId, stream: 'hr', t: expect.any(Number), bpm: 80 },
    ]);
    const status = adapter.status();
    expect(status.counters).toMatchObject({ noContact: 1, connections: 1 });
    expect(device(adapter, sensorId)).toMatchObject({ state: 'streaming', name: 'Polar H10 1A2B3C4D', via: 'hci0', rssi: -71, batteryPct: 87, readings: 3, rejected: 1 });
  });

  it('rejects undecodable notifications and reserved battery levels, and counts them', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio]);
    const context = captureContext();
    await adapter.start(context);
    const battery = new FakeCharacteristic('2a19', ['read', 'notify'], Uint8Array.of(50));
    const strap = fakeStrap('a0:9e:1a:00:00:02', { characteristics: [new FakeCharacteristic('2a37', ['notify']), battery] });
    radio.advertise(strap);
    await until(subscribed(strap), 2000, 'subscription');
    for (const hex of ['', '01 C8', '10 5A 00', '08 4B 80']) strap.characteristic('2a37').notify(parseHex(hex || '00').subarray(hex ? 0 : 1));
    battery.notify(Uint8Array.of(101)); // reserved (bluetooth-sig-python test_battery_level.py)
    battery.notify(Uint8Array.of(80));
    expect(adapter.status().counters.badPayloads).toBe(5);
    expect(context.readings.filter((r) => r.stream === 'battery').map((r) => (r as { pct: number }).pct)).toEqual([50, 80]);
    expect(adapter.status().state).toBe('running');
  });

  it('drops and counts a strap that floods, without stopping', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio]);
    const context = captureContext();
    await adapter.start(context);
    const strap = fakeStrap('a0:9e:1a:00:00:04');
    radio.advertise(strap);
    await until(subscribed(strap), 2000, 'subscription');
    for (let i = 0; i < 50; i++) strap.characteristic('2a37').notify(parseHex('00 50'));
    // The gate allows 5 heart rates a second with 2 s of burst: 10 of an instant's 50.
    expect(context.readings.filter((r) => r.stream === 'hr')).toHaveLength(10);
    expect(device(adapter, 'ble-a0:9e:1a:00:00:04')).toMatchObject({ readings: 10, rejected: 40, problem: expect.stringContaining('faster than 5/s') });
    expect(adapter.status().state).toBe('running');
  });

  it('reconnects with backoff after the strap drops out, and publishes again', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio]);
    const context = captureContext();
    await adapter.start(context);
    const strap = fakeStrap('a0:9e:1a:00:00:03', { failConnects: 1 });
    radio.advertise(strap);
    await until(subscribed(strap), 3000, 'the first connection, after one failure');
    expect(strap.connects).toBe(2);
    strap.characteristic('2a37').subscribed = false;
    strap.drop();
    expect(device(adapter, 'ble-a0:9e:1a:00:00:03')).toMatchObject({ state: 'reconnecting', problem: expect.stringContaining('disconnected') });
    await until(subscribed(strap), 3000, 'the reconnection');
    strap.characteristic('2a37').notify(parseHex('00 50'));
    expect(context.readings.at(-1)).toMatchObject({ stream: 'hr', bpm: 80 });
    expect(adapter.status().counters.reconnects).toBe(2);
  });

  it('spreads connections over the Bluetooth adapters, up to the limit of each', async () => {
    const radios = [new FakeRadio(), new FakeRadio()];
    const adapter = ble(radios, { maxConnectionsPerAdapter: 2 });
    await adapter.start(captureContext());
    const straps = Array.from({ length: 5 }, (_, i) => fakeStrap(`a0:9e:1a:00:01:0${i}`));
    for (const strap of straps) for (const radio of radios) radio.advertise(strap);
    await until(() => adapter.status().counters.connections === 4, 2000, 'four connections');
    const devices = adapter.status().devices;
    const via = devices.filter((d) => d.state !== 'discovered').map((d) => d.via);
    expect(via.filter((name) => name === 'hci0')).toHaveLength(2);
    expect(via.filter((name) => name === 'hci1')).toHaveLength(2);
    expect(devices.find((d) => d.state === 'discovered')?.problem).toMatch(/already holds 2 connections/);
  });

  it('connects only the listed sensors when told to, and shows the others with their signal', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio], { connect: 'listed', sensors: ['A0:9E:1A:00:02:01'] });
    await adapter.start(captureContext());
    const listed = fakeStrap('a0:9e:1a:00:02:01');
    const other = fakeStrap('a0:9e:1a:00:02:02', { rssi: -88 });
    radio.advertise(listed);
    radio.advertise(other);
    await until(subscribed(listed), 2000, 'the listed strap');
    expect(other.connects).toBe(0);
    expect(device(adapter, 'ble-a0:9e:1a:00:02:02')).toMatchObject({ state: 'discovered', rssi: -88 });
  });

  it('ignores advertisers without heart-rate or running services', async () => {
    const radio = new FakeRadio();
    const adapter = ble([radio]);
    await adapter.start(captureContext());
    radio.advertise(fakeStrap('a0:9e:1a:00:03:01', { services: ['1812'] }));
    expect(adapter.status().devices).toEqual([]);
  });

  it('says once that there is no usable Bluetooth adapter, then starts when one powers on', async () => {
    const radio = new FakeRadio('poweredOff');
    const adapter = ble([radio], { powerOnTimeoutMs: 20 });
    const context = captureContext();
    await adapter.start(context);
    expect(adapter.status()).toMatchObject({ state: 'unavailable', detail: expect.stringContaining('hci0 poweredOff') });
    radio.setState('poweredOff');
    expect(context.logs.filter((l) => l.level === 'warn')).toHaveLength(1);
    radio.setState('poweredOn');
    await until(() => adapter.status().state === 'running' && radio.scanning, 1000, 'scanning');
  });

  it('on this machine, without Bluetooth (and without noble until it is installed), is unavailable and says why', async () => {
    const adapter = new BleAdapter({ hciDevices: [0], maxConnectionsPerAdapter: 7, connect: 'all', sensors: [], powerOnTimeoutMs: 1000 });
    adapters.push(adapter);
    const context = captureContext();
    await adapter.start(context);
    expect(adapter.status().state).toBe('unavailable');
    expect(context.logs).toEqual([{ level: 'warn', message: expect.stringMatching(/^ble: (the @stoprocent\/noble package is not installed|no Bluetooth adapter is usable)/) }]);
  });
});
