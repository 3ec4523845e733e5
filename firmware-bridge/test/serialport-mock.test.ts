/**
 * The bridge's `serialport` driver against serialport's own SerialPortMock: a stick found by USB id
 * through SerialPort.list, set up over the mock port, and a GNSS pod read through it.
 *
 * Ports are created on `SerialPortMock.binding`, the MockBinding serialport itself requires. Importing
 * `@serialport/binding-mock` here would load its ESM build, a second module instance whose port
 * table SerialPortMock never sees (binding-mock ships both a CommonJS and an ESM entry).
 */
import { ANT_MESSAGE_ID, decodeAntFrames, encodeAntFrame, formatHex } from '@touchline/core';
import { SerialPortMock, type SerialPortMockOpenOptions } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { AntAdapter } from '../src/adapters/ant/ant.adapter.ts';
import { GnssSerialAdapter } from '../src/adapters/gnss-serial.adapter.ts';
import { serialportDriver, type SerialDriver } from '../src/serial/serial-port.ts';
import { captureContext, until } from './support/capture-context.ts';
import { CAPABILITIES_REPLY, GARMIN_HRM_CAPTURE, GARMIN_HRM_SENSOR_ID, SETUP_FRAMES, STARTUP_REPLY } from './support/fake-ant-stick.ts';
import { joggingTrack, nmeaEpoch } from './support/nmea.ts';

/** A driver over SerialPortMock that also hands the test every port it constructs. */
function capturingDriver(): { driver: SerialDriver; ports: SerialPortMock[] } {
  const ports: SerialPortMock[] = [];
  class Capturing extends SerialPortMock {
    constructor(options: SerialPortMockOpenOptions) {
      super(options);
      ports.push(this);
    }
  }
  return { driver: serialportDriver(Capturing), ports };
}

/** The binding of a port the driver has opened (SerialPortStream sets `port` only once open). */
function openBinding(port: SerialPortMock | undefined) {
  const binding = port?.port;
  if (!binding?.isOpen) throw new Error(`${port?.path ?? 'the port'} is not open`);
  return binding;
}

/** Answers the stick's set-up commands on a mock port, as the FakeAntStick does on the in-memory one. */
function emulateStick(port: SerialPortMock): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    const binding = port.port;
    if (!binding?.isOpen || binding.recording.length === seen) return;
    const fresh = binding.recording.subarray(seen);
    seen = binding.recording.length;
    for (const frame of decodeAntFrames(fresh)) {
      if (frame.id === ANT_MESSAGE_ID.resetSystem) binding.emitData(Buffer.from(STARTUP_REPLY));
      else if (frame.id === ANT_MESSAGE_ID.requestMessage) binding.emitData(Buffer.from(CAPABILITIES_REPLY));
      else binding.emitData(Buffer.from(encodeAntFrame(ANT_MESSAGE_ID.channelResponse, [0, frame.id, 0])));
    }
  }, 2);
  return () => clearInterval(timer);
}

describe('the serialport driver over SerialPortMock', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    SerialPortMock.binding.reset();
  });

  it('finds an ANT stick by USB id through SerialPort.list, sets it up and decodes a strap', async () => {
    SerialPortMock.binding.createPort('/dev/ttyUSB0', { record: true, vendorId: '0FCF', productId: '1008' });
    SerialPortMock.binding.createPort('/dev/ttyS0', { record: true });
    const { driver, ports } = capturingDriver();
    const adapter = new AntAdapter({ networkKey: new Uint8Array(8), usbIds: ['0fcf:1008'], baudRate: 115200, loadDriver: async () => ({ driver }), replyTimeoutMs: 200 });
    const context = captureContext();
    const started = adapter.start(context);
    stops.push(() => adapter.stop());
    await until(() => ports.length === 1, 2000, 'the stick port');
    stops.push(emulateStick(ports[0]!));
    await started;
    await until(() => adapter.status().counters.scanningSticks === 1, 3000, 'the stick to scan');
    // Only the port whose (upper-case, as some platforms report it) USB id matches was opened.
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
    const stick = openBinding(ports[0]);
    expect(formatHex(stick.recording)).toBe(SETUP_FRAMES.join(' '));
    expect((await stick.getBaudRate()).baudRate).toBe(115200);
    for (const frame of GARMIN_HRM_CAPTURE) stick.emitData(Buffer.from(frame));
    await until(() => context.readings.filter((r) => r.stream === 'hr').length === 8, 2000, 'the strap readings');
    expect(new Set(context.readings.map((r) => r.sensorId))).toEqual(new Set([GARMIN_HRM_SENSOR_ID]));
  });

  it('reads a GNSS pod through a mock port at the configured baud rate', async () => {
    SerialPortMock.binding.createPort('/dev/ttyACM0', { record: true });
    const { driver, ports } = capturingDriver();
    const adapter = new GnssSerialAdapter({ pods: [{ path: '/dev/ttyACM0', sensorId: 'gnss-mock', baudRate: 115200 }], loadDriver: async () => ({ driver }) });
    const context = captureContext();
    await adapter.start(context);
    stops.push(() => adapter.stop());
    const pod = openBinding(ports[0]);
    expect((await pod.getBaudRate()).baudRate).toBe(115200);
    const start = Date.now() - (Date.now() % 100);
    pod.emitData(Buffer.from(joggingTrack(start, 1).map(nmeaEpoch).join('')));
    await until(() => context.readings.length === 10, 2000, 'ten fixes');
    expect(context.readings.map((r) => r.t)).toEqual(Array.from({ length: 10 }, (_, i) => start + i * 100));
    expect(new Set(context.readings.map((r) => r.sensorId))).toEqual(new Set(['gnss-mock']));
  });
});
