import { parseHex } from '@touchline/core';
import { AntAdapter } from '../src/adapters/ant/ant.adapter.ts';
import { BleAdapter } from '../src/adapters/ble/ble.adapter.ts';
import { GnssSerialAdapter } from '../src/adapters/gnss-serial.adapter.ts';
import { SimulatorAdapter } from '../src/adapters/simulator.adapter.ts';
import { fsSerialDriver } from '../src/serial/serial-port.ts';
import { describeAdapterContract } from './adapter-contract.ts';
import { until } from './support/capture-context.ts';
import { FakeAntStick, GARMIN_HRM_CAPTURE } from './support/fake-ant-stick.ts';
import { FakeRadio, fakeRadios, fakeStrap } from './support/fake-noble.ts';
import { MemorySerialDriver, MemorySerialLink } from './support/memory-serial.ts';
import { joggingTrack, nmeaEpoch } from './support/nmea.ts';

describeAdapterContract({
  name: 'simulator',
  make() {
    // Malformed payloads are the simulator's bad device input; 5 % of ~45 messages/s.
    const adapter = new SimulatorAdapter({ athletes: 2, seed: 3, dropoutRate: 0, malformedRate: 0.05 });
    return {
      adapter,
      feed: async () => {},
      feedGarbage: async () => {},
      close: async () => {},
    };
  },
});

describeAdapterContract({
  name: 'ble (fake noble binding)',
  make() {
    const radio = new FakeRadio();
    const strap = fakeStrap('a0:9e:1a:00:00:01');
    const adapter = new BleAdapter({ hciDevices: [0], maxConnectionsPerAdapter: 7, connect: 'all', sensors: [], loadRadios: fakeRadios([radio]) });
    const heartRate = () => strap.characteristic('2a37');
    return {
      adapter,
      async feed() {
        radio.advertise(strap);
        await until(() => heartRate().subscribed, 2000, 'the strap to be subscribed');
        // reference/protocols.md §1.3: HR 72 with RR [340, 748]/1024 s (SmartGattLib), HR 90 (bluetooth-sig-python).
        for (const hex of ['16 48 54 01 EC 02', '10 5A 00 08 00 01', '00 50']) heartRate().notify(parseHex(hex));
      },
      async feedGarbage() {
        // Truncated uint16 HR, half an RR interval, HR 0 (impossible), empty.
        for (const hex of ['11 00', '10 5A 00', '00 00']) heartRate().notify(parseHex(hex));
        heartRate().notify(new Uint8Array(0));
      },
      close: async () => {},
    };
  },
  absent() {
    const adapter = new BleAdapter({
      hciDevices: [0],
      maxConnectionsPerAdapter: 7,
      connect: 'all',
      sensors: [],
      loadRadios: fakeRadios([new FakeRadio('unknown')]),
      powerOnTimeoutMs: 50,
    });
    return { adapter, feed: async () => {}, feedGarbage: async () => {}, close: async () => {} };
  },
});

describeAdapterContract({
  name: 'ant (emulated stick)',
  make() {
    const driver = new MemorySerialDriver();
    let stick: FakeAntStick | undefined;
    driver.add({ path: '/dev/ttyUSB-ant0', vendorId: '0fcf', productId: '1008' }, () => {
      stick = new FakeAntStick('/dev/ttyUSB-ant0', { shape: 'padded' });
      return stick.link;
    });
    const adapter = new AntAdapter({ networkKey: new Uint8Array(8), usbIds: ['0fcf:1008'], baudRate: 115200, loadDriver: async () => ({ driver }), replyTimeoutMs: 50 });
    return {
      adapter,
      async feed() {
        await until(() => adapter.status().counters.scanningSticks === 1, 2000, 'the stick to scan');
        for (const frame of GARMIN_HRM_CAPTURE) stick!.send(frame);
      },
      async feedGarbage() {
        stick!.send(parseHex('a4 0e 4e 02 84 ff a5 e2 a5 e6 ca 3c 80 52 62 78 71 00 de ad be ef a4 01'));
        stick!.send(parseHex('a4 09 4e 00 01 02 03 04 05 06 07 08 09 ff'));
      },
      close: async () => {},
    };
  },
  absent() {
    const adapter = new AntAdapter({
      networkKey: new Uint8Array(8),
      usbIds: ['0fcf:1008'],
      baudRate: 115200,
      loadDriver: async () => ({ driver: fsSerialDriver, missing: 'the serialport package is not installed' }),
    });
    return { adapter, feed: async () => {}, feedGarbage: async () => {}, close: async () => {} };
  },
});

describeAdapterContract({
  name: 'serial GNSS (emulated pod)',
  make() {
    const driver = new MemorySerialDriver();
    let link: MemorySerialLink | undefined;
    driver.add({ path: '/dev/ttyACM-gnss' }, () => {
      link = new MemorySerialLink('/dev/ttyACM-gnss');
      return link;
    });
    let next = Date.now() - (Date.now() % 100);
    const adapter = new GnssSerialAdapter({ pods: [{ path: '/dev/ttyACM-gnss', sensorId: 'gnss-pod-7', baudRate: 115200 }], loadDriver: async () => ({ driver }) });
    return {
      adapter,
      async feed() {
        await until(() => link !== undefined && !link.closed, 2000, 'the port to open');
        const fixes = joggingTrack(next, 0.5);
        next += 500;
        link!.emit(new TextEncoder().encode(fixes.map(nmeaEpoch).join('')));
      },
      async feedGarbage() {
        const [first, second] = joggingTrack(next, 0.2);
        next += 200;
        // A flipped checksum, line noise, a truncated sentence, then an impossible 40 m/s.
        const flipped = nmeaEpoch(first!).replace(/\*[0-9A-F]{2}/, '*00');
        link!.emit(new TextEncoder().encode(`${flipped}\x00\xff\xfe garbage\r\n$GNGGA,1235\r\n`));
        link!.emit(new TextEncoder().encode(nmeaEpoch({ ...second!, speedMps: 40 })));
      },
      close: async () => {},
    };
  },
});
