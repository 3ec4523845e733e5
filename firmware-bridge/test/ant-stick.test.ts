import { encodeAntFrame, formatHex, parseHex, type AntHeartRateEvent } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AntStick } from '../src/adapters/ant/ant-stick.ts';
import { CAPABILITIES_REPLY, FakeAntStick, GARMIN_HRM_CAPTURE, SETUP_FRAMES, type FakeAntStickOptions } from './support/fake-ant-stick.ts';
import { until } from './support/capture-context.ts';

/** The public network key 0 (all zeros), as in the jdeerhake gist, so no licensed key is in the repository. */
const ZERO_KEY = new Uint8Array(8);

const sticks: AntStick[] = [];
afterEach(async () => {
  await Promise.all(sticks.splice(0).map((stick) => stick.close()));
});

function setUp(options: FakeAntStickOptions = {}) {
  const fake = new FakeAntStick('/dev/ttyUSB-ant0', options);
  const events: { event: AntHeartRateEvent; rssi: number | undefined }[] = [];
  const failures: string[] = [];
  const stick = new AntStick({
    link: fake.link,
    networkKey: ZERO_KEY,
    now: Date.now,
    onHeartRate: (event, rssi) => events.push({ event, rssi }),
    onFailure: (problem) => failures.push(problem),
    replyTimeoutMs: 30,
  });
  sticks.push(stick);
  return { fake, stick, events, failures };
}

const written = (fake: FakeAntStick) => fake.link.written.map(formatHex);

describe('ANT stick set-up', () => {
  it('sends reset, key, assignment, channel id, period 8070, RF 57 and scan, byte for byte', async () => {
    const { fake, stick } = setUp();
    await stick.start();
    expect(written(fake)).toEqual(SETUP_FRAMES);
    expect(stick.state).toBe('scanning');
    // Capabilities bytes 08 08 00 BA 36 00 DF: 8 channels, 8 networks.
    expect(stick.capabilities).toMatchObject({ maxChannels: 8, maxNetworks: 8, standardOptions: 0, advancedOptions: 0xba });
  });

  it('waits for each answer, resending a command whose reply was lost', async () => {
    const { fake, stick } = setUp({ dropReplies: new Map([[0x42, 1]]) });
    await stick.start();
    // The channel id (0x51) goes out only after the second assignment (0x42) was answered.
    expect(fake.received).toEqual([0x4a, 0x4d, 0x46, 0x42, 0x42, 0x51, 0x43, 0x45, 0x6e, 0x5b]);
    expect(stick.counters.commandRetries).toBe(1);
  });

  it.each(['bytewise', 'padded'] as const)('reads replies split %s, including the capabilities reply whose checksum is 0xA4', async (shape) => {
    const { stick } = setUp({ shape });
    await stick.start();
    expect(stick.state).toBe('scanning');
    expect(stick.capabilities?.maxChannels).toBe(8);
    expect(CAPABILITIES_REPLY.at(-1)).toBe(0xa4);
  });

  it('carries on when a stick stays silent after reset', async () => {
    const { stick } = setUp({ silentReset: true });
    await stick.start();
    expect(stick.state).toBe('scanning');
  });

  it('falls back to enable-extended-messages (A4 02 66 00 01 C1) on a stick that refuses lib config', async () => {
    const { fake, stick } = setUp({ refuse: new Map([[0x6e, 0x28]]) });
    await stick.start();
    expect(written(fake).slice(-3)).toEqual(['A4 02 6E 00 E0 28', 'A4 02 66 00 01 C1', 'A4 01 5B 00 FE']);
    expect(stick.state).toBe('scanning');
  });

  it('fails with TL_ERR_ANT_SETUP naming a refused command and its code', async () => {
    const { stick } = setUp({ refuse: new Map([[0x42, 0x29]]) });
    await expect(stick.start()).rejects.toMatchObject({ code: 'TL_ERR_ANT_SETUP', message: expect.stringContaining('assignChannel with INVALID_NETWORK_NUMBER') });
  });

  it('fails after its retries when the stick never answers', async () => {
    const { fake, stick } = setUp({ dead: true });
    await expect(stick.start()).rejects.toMatchObject({ code: 'TL_ERR_ANT_SETUP', message: expect.stringContaining('no answer to setNetworkKey after 4 attempts') });
    // Reset and the capabilities request are tried once (optional), the network key four times.
    expect(fake.link.written.map((frame) => frame[2])).toEqual([0x4a, 0x4d, 0x46, 0x46, 0x46, 0x46]);
  });

  it('sets the channel up again when the stick closes it or resets itself', async () => {
    const { fake, stick } = setUp();
    await stick.start();
    fake.send(encodeAntFrame(0x40, [0, 0x01, 0x07])); // EVENT_CHANNEL_CLOSED
    await until(() => fake.received.filter((id) => id === 0x4a).length === 2 && stick.state === 'scanning', 2000, 'a second set-up');
    expect(stick.counters.rfEvents).toBe(1);
  });

  it('reports an unplugged stick once', async () => {
    const { fake, stick, failures } = setUp();
    await stick.start();
    fake.link.unplug();
    fake.link.unplug();
    expect(failures).toEqual(['/dev/ttyUSB-ant0 went away: device unplugged']);
    expect(stick.state).toBe('failed');
  });
});

describe('ANT stick receiving', () => {
  it('decodes a real Garmin strap capture into heart rate and every RR, across the beat-time rollover', async () => {
    const { fake, stick, events } = setUp({ shape: 'bytewise' });
    await stick.start();
    for (const frame of GARMIN_HRM_CAPTURE) fake.send(frame);
    expect(events).toHaveLength(8);
    expect(events.map((e) => e.event.channelId)).toEqual(Array(8).fill({ deviceNumber: 25170, deviceType: 0x78, pairing: false, transmissionType: 0x71 }));
    expect(events.map((e) => e.event.reading.bpm)).toEqual([60, 60, 60, 60, 59, 59, 59, 59]);
    // By hand from the capture: 60069 − 59045 = 1024 ticks = 1000 ms; after the three missed beats,
    // page 4 gives 65223 − 64182 = 1041 ticks; then (728 − 65223) mod 65536 = 1041, 1769 − 728 = 1041,
    // 2810 − 1769 = 1041; 1041 × 1000/1024 = 1016.6015625 ms.
    expect(events.flatMap((e) => e.event.reading.rr)).toEqual([1000, 1000, 1000, 1016.6015625, 1016.6015625, 1016.6015625, 1016.6015625]);
    expect(stick.counters.rfEvents).toBe(1); // the EVENT_CHANNEL_COLLISION in the middle of the capture
  });

  it('handles every extended-data flag combination of the captured frames', async () => {
    const { fake, stick, events } = setUp();
    await stick.start();
    // reference/protocols.md §2.6 (thisisant.com forum viewreply/9437): no flags, device id, RSSI
    // (4-byte nRF24AP2 block), timestamp, all three. None is a heart-rate strap with an id.
    for (const hex of [
      'a4094e0085018017f03dac0392',
      'a40e4e0086009d000b02ac038062365601da',
      'a40e4e00020200000000b00340100068006f',
      'a40c4e0005018017f03d90032095920c',
      'a4144e00847eb603a6039803e0623656011000680034f0d0',
    ]) {
      fake.send(parseHex(hex));
    }
    expect(events).toEqual([]);
    // The frames with no device id cannot be attributed in scan mode; the type-0x56 ones are not heart rate.
    expect(stick.counters.unattributed).toBe(3);
    // A strap with all three blocks and a dBm RSSI (type 0x20, −60 dBm, threshold −96 dBm).
    const page = [0x84, 0xff, 0xa5, 0xe2, 0xa5, 0xe6, 0xca, 0x3c];
    fake.send(encodeAntFrame(0x4e, [0, ...page, 0xe0, 0x52, 0x62, 0x78, 0x71, 0x20, 0xc4, 0xa0, 0x34, 0x12]));
    expect(events).toHaveLength(1);
    expect(events[0]!.rssi).toBe(-60);
    expect(events[0]!.event.reading.bpm).toBe(60);
  });

  it('skips garbage, corrupt and truncated frames and still decodes the good ones after them', async () => {
    const { fake, stick, events } = setUp();
    await stick.start();
    const good = GARMIN_HRM_CAPTURE[0]!;
    const badChecksum = Uint8Array.from(good);
    badChecksum[badChecksum.length - 1] = badChecksum.at(-1)! ^ 0xff;
    // A plausible data frame whose flags promise a device id its bytes do not hold.
    const undecodable = encodeAntFrame(0x4e, [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x80, 1, 2]);
    fake.send(parseHex('13 37 a4 ff 00 ff a4 02'));
    fake.send(badChecksum);
    fake.send(undecodable);
    fake.send(good.subarray(0, 7)); // truncated: the rest never comes…
    fake.send(GARMIN_HRM_CAPTURE[1]!); // …so this frame's bytes complete a false candidate first
    for (const frame of GARMIN_HRM_CAPTURE.slice(2)) fake.send(frame);
    expect(stick.counters.corruptFrames).toBeGreaterThanOrEqual(2);
    expect(stick.counters.discardedBytes).toBeGreaterThan(0);
    expect(stick.counters.badMessages).toBe(1);
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(events.at(-1)!.event.reading.rr).toEqual([1016.6015625]);
    expect(stick.state).toBe('scanning');
  });
});
