import { describe, expect, it } from 'vitest';
import { TouchlineError } from '../src/errors.ts';
import {
  ANT_CHANNEL_TYPE,
  ANT_LIB_CONFIG,
  antAssignChannel,
  antCloseChannel,
  antEnableExtendedMessages,
  antOpenChannel,
  antOpenRxScanMode,
  antRequestMessage,
  antResetSystem,
  antSetChannelId,
  antSetChannelPeriod,
  antSetChannelRfFrequency,
  antSetChannelSearchTimeout,
  antSetLibConfig,
  antSetNetworkKey,
  decodeAntFrames,
  decodeAntMessage,
  encodeAntFrame,
  parseHex,
  type AntMessage,
} from '../src/decoders/index.ts';

const hex = parseHex;

function decodeOne(text: string): AntMessage {
  const frames = decodeAntFrames(hex(text));
  expect(frames).toHaveLength(1);
  return decodeAntMessage(frames[0]!);
}

function expectAntFrameError(fn: () => unknown) {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TouchlineError);
  expect((error as TouchlineError).code).toBe('TL_ERR_ANT_FRAME');
}

describe('ANT setup command builders', () => {
  // protocols.md §2.4 "Session setup — frames seen in public logs" (all XORs verified there)
  it('builds the frames seen in public logs byte for byte', () => {
    const zeroKey = new Uint8Array(8);
    const cases: [Uint8Array, string][] = [
      [antResetSystem(), 'A4 01 4A 00 EF'], // jdeerhake gist
      [antSetNetworkKey(0, zeroKey), 'A4 09 46 00 00 00 00 00 00 00 00 00 EB'], // jdeerhake gist, all-zero key
      [antAssignChannel(0, ANT_CHANNEL_TYPE.bidirectionalSlave, 0), 'A4 03 42 00 00 00 E5'],
      [antSetChannelId(0, { deviceNumber: 0, deviceType: 0x78, pairing: false, transmissionType: 0 }), 'A4 05 51 00 00 00 78 00 88'],
      [antSetChannelId(2, { deviceNumber: 10231, deviceType: 120, pairing: true, transmissionType: 0 }), 'A4 05 51 02 F7 27 F8 00 DA'],
      [antSetChannelRfFrequency(0, 57), 'A4 02 45 00 39 DA'],
      [antSetChannelPeriod(0, 8070), 'A4 03 43 00 86 1F 7D'],
      [antSetChannelSearchTimeout(0, 0xff), 'A4 02 44 00 FF 1D'],
      [antSetLibConfig(ANT_LIB_CONFIG.deviceId | ANT_LIB_CONFIG.rssi | ANT_LIB_CONFIG.rxTimestamp), 'A4 02 6E 00 E0 28'],
      [antEnableExtendedMessages(true), 'A4 02 66 00 01 C1'],
      [antOpenChannel(0), 'A4 01 4B 00 EE'],
      [antRequestMessage(0, 0x54), 'A4 02 4D 00 54 BF'], // python-ant issue #25
    ];
    for (const [frame, expected] of cases) expect(frame).toEqual(hex(expected));
  });

  it('builds the commands the logs do not show, checksums worked out by hand', () => {
    // A4^01^5B^00 = FE
    expect(antOpenRxScanMode()).toEqual(hex('A4 01 5B 00 FE'));
    // A4^09^46^01 = EA; 01^02^…^08 = 08; EA^08 = E2
    expect(antSetNetworkKey(1, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toEqual(hex('A4 09 46 01 01 02 03 04 05 06 07 08 E2'));
    // A4^01^4C^03 = EA
    expect(antCloseChannel(3)).toEqual(hex('A4 01 4C 03 EA'));
    // A4^04^42^00^00^00^01 = E3
    expect(antAssignChannel(0, 0, 0, 0x01)).toEqual(hex('A4 04 42 00 00 00 01 E3'));
  });

  it('rejects out-of-range arguments and a key of the wrong size', () => {
    const bad = [
      () => antSetNetworkKey(0, new Uint8Array(7)),
      () => antSetChannelPeriod(0, 65536),
      () => antSetChannelId(0, { deviceNumber: 1, deviceType: 0x80, pairing: false, transmissionType: 0 }),
      () => antOpenChannel(-1),
      () => antSetChannelRfFrequency(0, 1.5),
    ];
    for (const fn of bad) expect(fn).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});

describe('ANT message decoding', () => {
  // §2.2 openant tests/base/test_message.py: response to 0x46 set network key, RESPONSE_NO_ERROR
  it('decodes a channel response', () => {
    expect(decodeOne('A4 03 40 00 46 00 A1')).toEqual({
      kind: 'channel-response',
      channel: 0,
      messageId: 0x46,
      messageName: 'setNetworkKey',
      event: false,
      code: 0,
      codeName: 'RESPONSE_NO_ERROR',
    });
    // §2.4 replies to assign, RF frequency, search timeout, open
    expect(decodeOne('A4 03 40 00 42 00 A5')).toMatchObject({ messageName: 'assignChannel', code: 0 });
    expect(decodeOne('A4 03 40 00 4B 00 AC')).toMatchObject({ messageName: 'openChannel', code: 0 });
  });

  // §2.7 openant debug log: "RF event on ch2: 0x09 EVENT_CHANNEL_COLLISION"; ANTware log: 00-01-02 and 00-01-08
  it('decodes RF events', () => {
    expect(decodeOne('a4 03 40 02 01 09 ed')).toMatchObject({ channel: 2, event: true, code: 9, codeName: 'EVENT_CHANNEL_COLLISION' });
    expect(decodeAntMessage({ id: 0x40, payload: Uint8Array.of(0, 1, 2) })).toMatchObject({ event: true, codeName: 'EVENT_RX_FAIL' });
    expect(decodeAntMessage({ id: 0x40, payload: Uint8Array.of(0, 1, 8) })).toMatchObject({ codeName: 'EVENT_RX_FAIL_GO_TO_SEARCH' });
  });

  // §2.4 reset reply, reason 0x20 = reset command
  it('decodes the startup message', () => {
    expect(decodeOne('A4 01 6F 20 EA')).toEqual({ kind: 'startup', reason: 0x20, reasons: ['reset-command'] });
    expect(decodeAntMessage({ id: 0x6f, payload: Uint8Array.of(0) })).toMatchObject({ reasons: ['power-on'] });
  });

  // §2.2 capabilities from an ANTUSB-m: 7 bytes with checksum 0xA4 (python-ant #25), and 8 bytes (ANTware)
  it('decodes both capabilities replies seen from an ANTUSB-m', () => {
    expect(decodeOne('A4 07 54 08 08 00 BA 36 00 DF A4')).toEqual({
      kind: 'capabilities',
      maxChannels: 8,
      maxNetworks: 8,
      standardOptions: 0x00,
      advancedOptions: 0xba,
      advancedOptions2: 0x36,
      maxSensRcoreChannels: 0,
      advancedOptions3: 0xdf,
    });
    expect(decodeOne('A4 08 54 08 08 00 BA 36 00 DF 79 D2')).toMatchObject({ maxChannels: 8, advancedOptions3: 0xdf, advancedOptions4: 0x79 });
  });

  // §2.6 captured frames from thisisant.com forum viewreply/9437, one per extended flag
  it('decodes plain and flagged extended broadcasts from the forum capture', () => {
    expect(decodeOne('a4094e0085018017f03dac0392')).toEqual({
      kind: 'channel-data',
      transfer: 'broadcast',
      channel: 0,
      data: hex('85 01 80 17 f0 3d ac 03'),
    });
    expect(decodeOne('a40e4e0086009d000b02ac038062365601da')).toMatchObject({
      data: hex('86 00 9d 00 0b 02 ac 03'),
      extended: { channelId: { deviceNumber: 0x3662, deviceType: 0x56, pairing: false, transmissionType: 0x01 } },
    });
    // 4-byte RSSI block of an nRF24AP2 stick (type 0x10: not dBm)
    const rssi = decodeOne('a40e4e00020200000000b00340100068006f');
    expect(rssi).toMatchObject({ extended: { rssi: { measurementType: 0x10, raw: [0x10, 0x00, 0x68, 0x00] } } });
    expect((rssi as { extended: { rssi: { dbm?: number } } }).extended.rssi.dbm).toBeUndefined();
    expect(decodeOne('a40c4e0005018017f03d90032095920c')).toMatchObject({ extended: { rxTimestamp: 0x9295 } });
    expect(decodeOne('a4144e00847eb603a6039803e0623656011000680034f0d0')).toEqual({
      kind: 'channel-data',
      transfer: 'broadcast',
      channel: 0,
      data: hex('84 7e b6 03 a6 03 98 03'),
      extended: {
        channelId: { deviceNumber: 0x3662, deviceType: 0x56, pairing: false, transmissionType: 0x01 },
        rssi: { measurementType: 0x10, raw: [0x10, 0x00, 0x68, 0x00] },
        rxTimestamp: 0xf034,
      },
    });
  });

  // §2.6 "Rust crate tests agree" (frames whose bytes the reference gives in full)
  it('decodes the Rust crate test frames', () => {
    expect(decodeOne('a4 0e 4e 00 01 00 20 08 60 ff 00 00 40 10 01 6c 00 6f')).toMatchObject({
      extended: { rssi: { measurementType: 0x10, raw: [0x10, 0x01, 0x6c, 0x00] } },
    });
    expect(decodeOne('a4 14 4e 00 02 00 16 0e c7 dc 00 01 e0 53 6f 23 65 10 01 6d 00 61 84 fd')).toMatchObject({
      extended: { channelId: { deviceNumber: 0x6f53, deviceType: 0x23, transmissionType: 0x65 }, rxTimestamp: 0x8461 },
    });
    expect(decodeOne('a4 0c 4e 00 84 22 06 1d d0 25 05 48 20 ee be 93')).toMatchObject({ extended: { rxTimestamp: 0xbeee } });
  });

  // §2.6 incyclist bicycle-power-sensor.test.ts: device 60916, type 11 (bike power), tt 5
  it('decodes the incyclist bike-power fixture', () => {
    expect(decodeOne('a4144e0050ffffff82002300e0f4ed0b0510006800ad1cce')).toMatchObject({
      data: hex('50 ff ff ff 82 00 23 00'),
      extended: { channelId: { deviceNumber: 60916, deviceType: 11, transmissionType: 5 }, rxTimestamp: 0x1cad },
    });
  });

  // The reference has no capture for these flag combinations; frames assembled from the §2.6 block order.
  it('decodes the remaining flag combinations and a 3-byte dBm RSSI', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    const id = [0x34, 0x12, 0x78, 0x01]; // device 0x1234, HR, tt 1
    const dbm = [0x20, 0xc4, 0xa6]; // type 0x20: −60 dBm, threshold −90 dBm
    const ts = [0xcd, 0xab];
    const channelId = { deviceNumber: 0x1234, deviceType: 0x78, pairing: false, transmissionType: 1 };
    const rssi = { measurementType: 0x20, dbm: -60, thresholdDbm: -90, raw: dbm };
    const decode = (flag: number, blocks: number[]) => decodeAntMessage({ id: 0x4e, payload: Uint8Array.from([0, ...data, flag, ...blocks]) });
    expect(decode(0x40, dbm)).toMatchObject({ extended: { rssi } });
    expect(decode(0xc0, [...id, ...dbm])).toMatchObject({ extended: { channelId, rssi } });
    expect(decode(0xa0, [...id, ...ts])).toMatchObject({ extended: { channelId, rxTimestamp: 0xabcd } });
    expect(decode(0x60, [...dbm, ...ts])).toMatchObject({ extended: { rssi, rxTimestamp: 0xabcd } });
    expect(decode(0xe0, [...id, ...dbm, ...ts])).toMatchObject({ extended: { channelId, rssi, rxTimestamp: 0xabcd } });
    expect((decode(0xa0, [...id, ...ts]) as { extended: object }).extended).not.toHaveProperty('rssi');
  });

  it('decodes acknowledged, burst and legacy extended (0x5D) data', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(decodeAntMessage({ id: 0x4f, payload: Uint8Array.from([3, ...data]) })).toMatchObject({ transfer: 'acknowledged', channel: 3 });
    // burst: sequence in bits 5–7 of the channel byte (0x65 = sequence 3, channel 5)
    expect(decodeAntMessage({ id: 0x50, payload: Uint8Array.from([0x65, ...data]) })).toMatchObject({
      transfer: 'burst',
      channel: 5,
      burstSequence: 3,
    });
    // legacy extended: [ch, device number LE, type, trans type, data×8] (GoldenCheetah table, §2.3)
    expect(decodeAntMessage({ id: 0x5d, payload: Uint8Array.from([1, 0x52, 0x62, 0xf8, 0x71, ...data]) })).toEqual({
      kind: 'channel-data',
      transfer: 'broadcast',
      channel: 1,
      data: Uint8Array.from(data),
      extended: { channelId: { deviceNumber: 25170, deviceType: 0x78, pairing: true, transmissionType: 0x71 } },
    });
  });

  it('decodes host commands, so captures of both directions can be read', () => {
    expect(decodeOne('A4 01 4A 00 EF')).toEqual({ kind: 'command', command: 'resetSystem', params: {} });
    expect(decodeOne('A4 03 43 00 86 1F 7D')).toEqual({ kind: 'command', command: 'channelPeriod', params: { channel: 0, period: 8070 } });
    expect(decodeOne('A4 02 45 00 39 DA')).toMatchObject({ command: 'rfFrequency', params: { frequency: 57 } });
    expect(decodeOne('A4 02 4D 00 54 BF')).toMatchObject({ command: 'requestMessage', params: { messageId: 0x54, messageName: 'capabilities' } });
    expect(decodeOne('A4 02 6E 00 E0 28')).toMatchObject({ command: 'libConfig', params: { flags: 0xe0 } });
    expect(decodeOne('A4 02 66 00 01 C1')).toMatchObject({ command: 'enableExtendedMessages', params: { enabled: true } });
    expect(decodeOne('A4 09 46 00 00 00 00 00 00 00 00 00 EB')).toMatchObject({ command: 'setNetworkKey', params: { network: 0 } });
    expect(decodeOne('A4 05 51 02 F7 27 F8 00 DA')).toEqual({
      kind: 'channel-id',
      channel: 2,
      deviceNumber: 10231,
      deviceType: 120,
      pairing: true,
      transmissionType: 0,
    });
  });

  it('decodes version, serial number and channel status replies', () => {
    expect(decodeAntMessage({ id: 0x3e, payload: new TextEncoder().encode('AJK1.04RAF\0') })).toEqual({ kind: 'version', version: 'AJK1.04RAF' });
    expect(decodeAntMessage({ id: 0x61, payload: Uint8Array.of(0x78, 0x56, 0x34, 0x12) })).toEqual({ kind: 'serial-number', serialNumber: 0x12345678 });
    expect(decodeAntMessage({ id: 0x52, payload: Uint8Array.of(0, 0x03) })).toMatchObject({ state: 'tracking' });
  });

  it('passes unknown messages through and rejects payloads that do not fit their id', () => {
    expect(decodeAntMessage({ id: 0xe0, payload: Uint8Array.of(1, 2) })).toEqual({ kind: 'unknown', id: 0xe0, payload: Uint8Array.of(1, 2) });
    expectAntFrameError(() => decodeAntMessage({ id: 0x40, payload: Uint8Array.of(0, 0x46) }));
    expectAntFrameError(() => decodeAntMessage({ id: 0x6f, payload: Uint8Array.of(0, 0) }));
    expectAntFrameError(() => decodeAntMessage({ id: 0x54, payload: Uint8Array.of(8, 8, 0) }));
    expectAntFrameError(() => decodeAntMessage({ id: 0x4e, payload: Uint8Array.of(0, 1, 2, 3) }));
    // flag 0x40 promises an RSSI block of 3 or 4 bytes; 2 do not fit
    expectAntFrameError(() => decodeAntMessage({ id: 0x4e, payload: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 0x40, 0x20, 0xc4) }));
    // flag 0x80 promises 4 channel-id bytes
    expectAntFrameError(() => decodeAntMessage({ id: 0x4e, payload: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 0x80, 0x34, 0x12) }));
    // extended bytes with no flag to explain them
    expectAntFrameError(() => decodeAntMessage({ id: 0x4e, payload: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x34) }));
  });

  it('decodes what it encodes for every builder', () => {
    const frames = [antOpenRxScanMode(), antCloseChannel(3), antSetChannelSearchTimeout(1, 10), antAssignChannel(0, 0x40, 1, 1)];
    const decoded = frames.map((f) => decodeAntMessage(decodeAntFrames(f)[0]!));
    expect(decoded).toEqual([
      { kind: 'command', command: 'openRxScanMode', params: {} },
      { kind: 'command', command: 'closeChannel', params: { channel: 3 } },
      { kind: 'command', command: 'searchTimeout', params: { channel: 1, timeout: 10 } },
      { kind: 'command', command: 'assignChannel', params: { channel: 0, channelType: 0x40, network: 1, extendedAssignment: 1 } },
    ]);
    expect(encodeAntFrame(0x4b, [0])).toEqual(antOpenChannel(0));
  });
});
