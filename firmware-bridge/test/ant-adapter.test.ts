import { encodeAntFrame } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AntAdapter } from '../src/adapters/ant/ant.adapter.ts';
import { captureContext, until } from './support/capture-context.ts';
import { FakeAntStick, GARMIN_HRM_CAPTURE, GARMIN_HRM_SENSOR_ID, type FakeAntStickOptions } from './support/fake-ant-stick.ts';
import { MemorySerialDriver } from './support/memory-serial.ts';

const adapters: AntAdapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((adapter) => adapter.stop()));
});

function rig(sticks: { path: string; usb: string; options?: FakeAntStickOptions }[]) {
  const driver = new MemorySerialDriver();
  const fakes = new Map<string, FakeAntStick>();
  for (const { path, usb, options } of sticks) {
    const [vendorId, productId] = usb.split(':');
    driver.add({ path, vendorId: vendorId!, productId: productId! }, () => {
      const fake = new FakeAntStick(path, options);
      fakes.set(path, fake);
      return fake.link;
    });
  }
  const adapter = new AntAdapter({
    networkKey: new Uint8Array(8),
    usbIds: ['0fcf:1004', '0fcf:1008', '0fcf:1009'],
    baudRate: 115200,
    loadDriver: async () => ({ driver }),
    replyTimeoutMs: 20,
  });
  adapters.push(adapter);
  return { adapter, driver, fakes };
}

const scanning = (adapter: AntAdapter, n: number) => () => adapter.status().counters.scanningSticks === n;

describe('ANT+ adapter', () => {
  it('opens Garmin/Dynastream sticks found by USB id and nothing else', async () => {
    const { adapter, driver } = rig([
      { path: '/dev/ttyUSB0', usb: '0fcf:1008' },
      { path: '/dev/ttyUSB1', usb: '0403:6001' }, // an FTDI cable, not a stick
      { path: '/dev/ttyUSB2', usb: '0FCF:1009' },
    ]);
    await adapter.start(captureContext());
    await until(scanning(adapter, 2), 2000, 'two sticks');
    expect(driver.opened.map((link) => link.path).sort()).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB2']);
    expect(adapter.status().detail).toBe('sticks: /dev/ttyUSB0 (scanning), /dev/ttyUSB2 (scanning)');
  });

  it('publishes heart rate with RR and RSSI per strap, and a strap two sticks hear only once', async () => {
    const { adapter, fakes } = rig([
      { path: '/dev/ttyUSB0', usb: '0fcf:1008' },
      { path: '/dev/ttyUSB1', usb: '0fcf:1008' },
    ]);
    const context = captureContext();
    await adapter.start(context);
    await until(scanning(adapter, 2), 2000, 'two sticks');
    for (const frame of GARMIN_HRM_CAPTURE) for (const fake of fakes.values()) fake.send(frame);
    const hr = context.readings.filter((r) => r.stream === 'hr');
    expect(new Set(hr.map((r) => r.sensorId))).toEqual(new Set([GARMIN_HRM_SENSOR_ID]));
    // The capture's RR intervals, worked out by hand in ant-stick.test.ts, each published once.
    expect(hr.flatMap((r) => (r.stream === 'hr' ? (r.rr ?? []) : []))).toEqual([1000, 1000, 1000, 1016.6015625, 1016.6015625, 1016.6015625, 1016.6015625]);
    const [device] = adapter.status().devices;
    expect(device).toMatchObject({ sensorId: GARMIN_HRM_SENSOR_ID, state: 'streaming', via: '/dev/ttyUSB0', rejected: 0 });
  });

  it('reports the strap battery from page 7 and its RSSI in dBm', async () => {
    const { adapter, fakes } = rig([{ path: '/dev/ttyUSB0', usb: '0fcf:1008' }]);
    const context = captureContext();
    await adapter.start(context);
    await until(scanning(adapter, 1), 2000, 'the stick');
    const fake = fakes.get('/dev/ttyUSB0')!;
    // Page 7 (protocols.md §2.7): b1 level 85 %, b2 fractional voltage, b3 status 2 (good) << 4 | 3 V.
    // The toggle bit (0x80) flips between messages, so the decoder trusts the page bytes.
    const frame = (toggle: number, count: number) =>
      encodeAntFrame(0x4e, [0, toggle | 0x07, 85, 0x80, 0x23, 0x00, 0x04 * count, count, 62, 0xe0, 0x01, 0x00, 0x78, 0x01, 0x20, 0xb5, 0xa0, 0x00, 0x00]);
    fake.send(frame(0x00, 1));
    fake.send(frame(0x80, 2));
    expect(context.readings.filter((r) => r.stream === 'battery')).toEqual([{ sensorId: 'ant-1:120:1', stream: 'battery', t: expect.any(Number), pct: 85 }]);
    expect(adapter.status().devices[0]).toMatchObject({ sensorId: 'ant-1:120:1', batteryPct: 85, rssi: -75 });
  });

  it('reports a stick that fails set-up, closes it and waits to retry', async () => {
    const { adapter, fakes } = rig([{ path: '/dev/ttyUSB0', usb: '0fcf:1008', options: { dead: true } }]);
    const context = captureContext();
    await adapter.start(context);
    expect(adapter.status().counters.scanningSticks).toBe(0);
    expect(adapter.status().detail).toMatch(/waiting to retry: ANT stick \/dev\/ttyUSB0: no answer to setNetworkKey/);
    expect(context.logs.some((l) => l.level === 'warn' && l.message.includes('no answer'))).toBe(true);
    expect(fakes.get('/dev/ttyUSB0')!.link.closed).toBe(true);
  });

  it('notices an unplugged stick and shows its straps as silent', async () => {
    const { adapter, fakes } = rig([{ path: '/dev/ttyUSB0', usb: '0fcf:1008' }]);
    await adapter.start(captureContext());
    await until(scanning(adapter, 1), 2000, 'the stick');
    fakes.get('/dev/ttyUSB0')!.send(GARMIN_HRM_CAPTURE[0]!);
    fakes.get('/dev/ttyUSB0')!.link.unplug();
    await until(() => /went away: device unplugged/.test(adapter.status().detail ?? ''), 1000, 'the stick to be retired');
    expect(adapter.status().counters.scanningSticks).toBe(0);
    expect(adapter.status().devices[0]).toMatchObject({ sensorId: GARMIN_HRM_SENSOR_ID, state: 'silent' });
  });
});
