import { describe, expect, it } from 'vitest';
import { TouchlineError } from '../src/errors.ts';
import {
  ANT_HRM_MAX_GAP_MS,
  AntDeframer,
  AntHeartRateDecoder,
  AntHeartRateReceiver,
  antHeartRateSetup,
  decodeAntHrmPage,
  decodeAntMessage,
  isPlausibleStickMessage,
  parseHex,
  type AntHeartRateEvent,
} from '../src/decoders/index.ts';

const hex = parseHex;

/** An 8-byte HR page: byte 0 (toggle|page), bytes 1–3, beat time (ticks), beat count, bpm. */
function page(byte0: number, b1: number, b2: number, b3: number, beatTime: number, beatCount: number, bpm: number): Uint8Array {
  return Uint8Array.of(byte0, b1, b2, b3, beatTime & 0xff, beatTime >> 8, beatCount & 0xff, bpm);
}

// protocols.md §2.7: real HRM broadcasts from a Garmin strap, openant debug log in
// thisisant.com/forum/viewthread/7385 (checksums and decodes verified in the reference).
const CAPTURE = [
  'a4 0e 4e 02 84 ff a5 e2 a5 e6 ca 3c 80 52 62 78 71 d6', // p4 T1 prev 58021 t 59045 cnt 202 HR 60
  'a4 0e 4e 02 04 ff a5 e6 a5 ea cb 3c 80 52 62 78 71 5f', // p4 T0 prev 59045 t 60069 cnt 203
  'a4 0e 4e 02 84 ff a5 ea a5 ee cc 3c 80 52 62 78 71 d0',
  'a4 0e 4e 02 04 ff a5 ee a5 f2 cd 3c 80 52 62 78 71 49',
  'a4 03 40 02 01 09 ed', // RF event: EVENT_CHANNEL_COLLISION
  'a4 0e 4e 02 84 ff b6 fa c7 fe d0 3b 80 52 62 78 71 ba', // prev 64182 t 65223 cnt 208 HR 59
  'a4 0e 4e 02 04 ff c7 fe d8 02 d1 3b 80 52 62 78 71 ad', // prev 65223 t 728 (rollover) cnt 209
  'a4 0e 4e 02 84 ff d8 02 e9 06 d2 3b 80 52 62 78 71 f8',
  'a4 0e 4e 02 04 ff e9 06 fa 0a d3 3b 80 52 62 78 71 53',
].join(' ');

describe('ANT+ heart-rate pages', () => {
  // §2.7 second capture (Garmin HRM1G via ANTware II, viewthread/4079), payload after the channel byte
  it('decodes the ANTware page-4 captures', () => {
    expect(decodeAntHrmPage(hex('04-00-34-09-77-0A-0A-5E'))).toEqual({
      pageNumber: 4,
      toggle: false,
      beatTime: 2679,
      beatCount: 10,
      bpm: 94,
      content: { page: 'previous-beat', manufacturerSpecific: 0, previousBeatTime: 2356 },
    });
    expect(decodeAntHrmPage(hex('04-00-EC-1B-33-1D-18-7D'))).toMatchObject({
      beatTime: 7475,
      beatCount: 24,
      bpm: 125,
      content: { previousBeatTime: 7148 },
    });
  });

  // Pages 0–7 laid out from the §2.7 table; values worked out by hand.
  it('decodes every page of the profile', () => {
    expect(decodeAntHrmPage(page(0x80, 0xff, 0xff, 0xff, 1000, 5, 70))).toMatchObject({ pageNumber: 0, toggle: true, content: { page: 'default' } });
    // 0x002710 = 10000 units of 2 s
    expect(decodeAntHrmPage(page(0x01, 0x10, 0x27, 0x00, 0, 0, 0)).content).toEqual({ page: 'operating-time', cumulativeOperatingTimeS: 20000 });
    expect(decodeAntHrmPage(page(0x02, 0x01, 0x34, 0x12, 0, 0, 0)).content).toEqual({ page: 'manufacturer', manufacturerId: 1, serialNumberHigh: 0x1234 });
    expect(decodeAntHrmPage(page(0x03, 5, 12, 44, 0, 0, 0)).content).toEqual({ page: 'product', hardwareVersion: 5, softwareVersion: 12, modelNumber: 44 });
    expect(decodeAntHrmPage(page(0x05, 150, 181, 142, 0, 0, 0)).content).toEqual({
      page: 'interval-heart-rate',
      intervalAverageBpm: 150,
      intervalMaxBpm: 181,
      sessionAverageBpm: 142,
    });
    expect(decodeAntHrmPage(page(0x06, 0xff, 0x07, 0x01, 0, 0, 0)).content).toEqual({ page: 'features', featuresSupported: 7, featuresEnabled: 1 });
    // battery: 90 %, 3 + 0x80/256 = 3.5 V, status 2 = good
    expect(decodeAntHrmPage(page(0x87, 0x5a, 0x80, 0x23, 0, 0, 0)).content).toEqual({ page: 'battery', levelPct: 90, voltageV: 3.5, status: 'good' });
    // level 0xFF = not used, coarse voltage 0xF = invalid, status 7 = invalid; status 5 = critical
    expect(decodeAntHrmPage(page(0x07, 0xff, 0x00, 0x7f, 0, 0, 0)).content).toEqual({ page: 'battery', status: 'invalid' });
    expect(decodeAntHrmPage(page(0x07, 0x05, 0x00, 0x52, 0, 0, 0)).content).toEqual({ page: 'battery', levelPct: 5, voltageV: 2, status: 'critical' });
    expect(decodeAntHrmPage(page(0x7f, 0, 0, 0, 0, 0, 0)).content).toEqual({ page: 'unknown' });
  });

  it('rejects a page that is not 8 bytes with TL_ERR_ANT_PAGE', () => {
    for (const bad of [new Uint8Array(7), new Uint8Array(9), new Uint8Array(0)]) {
      expect(() => decodeAntHrmPage(bad)).toThrow(expect.objectContaining({ code: 'TL_ERR_ANT_PAGE' }));
    }
    expect(() => decodeAntHrmPage(new Uint8Array(7))).toThrow(TouchlineError);
  });
});

describe('ANT+ heart-rate decoder (RR from beat times)', () => {
  it('derives RR intervals from the captured stream: missed beats, rollover of the beat time', () => {
    const deframer = new AntDeframer({ accept: isPlausibleStickMessage });
    const receiver = new AntHeartRateReceiver();
    const events = deframer
      .push(hex(CAPTURE))
      .map((frame) => receiver.handle(decodeAntMessage(frame)))
      .filter((e): e is AntHeartRateEvent => e !== undefined);
    expect(events).toHaveLength(8); // the RF event is not heart-rate data
    expect(new Set(events.map((e) => e.deviceKey))).toEqual(new Set(['25170:120:113']));
    expect(events.map((e) => e.reading.bpm)).toEqual([60, 60, 60, 60, 59, 59, 59, 59]);
    // Ticks by hand: 60069−59045 = 1024 (1.0000 s); 65223−64182 = 1041 (1.0166 s, the reference's
    // figure); (728−65223) mod 65536 = 1041 across the rollover; 1769−728 = 1041; 2810−1769 = 1041.
    expect(events.map((e) => e.reading.rrRaw)).toEqual([[], [1024], [1024], [1024], [1041], [1041], [1041], [1041]]);
    expect(events[1]!.reading.rr).toEqual([1000]);
    expect(events[4]!.reading.rr).toEqual([1016.6015625]); // 1041·1000/1024
    // count 205 → 208: two beats were never seen, and page 4 still gives the last interval
    expect(events[4]!.reading).toMatchObject({ newBeats: 3, missedBeats: 2 });
    expect(events.map((e) => e.reading.missedBeats)).toEqual([0, 0, 0, 0, 2, 0, 0, 0]);
    // page content only once the toggle has been seen both ways
    expect(events[0]!.reading.page).toBeUndefined();
    expect(events[1]!.reading.page).toEqual({ page: 'previous-beat', manufacturerSpecific: 0xff, previousBeatTime: 59045 });
  });

  it('handles the 8-bit beat count rolling over', () => {
    const d = new AntHeartRateDecoder();
    d.push(page(0, 0, 0, 0, 64000, 254, 60));
    expect(d.push(page(0, 0, 0, 0, 65024, 255, 60)).rrRaw).toEqual([1024]);
    // count 255 → 0 and time 65024 → 512: (512 − 65024) mod 65536 = 1024
    expect(d.push(page(0, 0, 0, 0, 512, 0, 60))).toMatchObject({ newBeats: 1, missedBeats: 0, rrRaw: [1024], rr: [1000] });
    // count 0 → 2 across a skipped message: no interval without page 4
    expect(d.push(page(0, 0, 0, 0, 2560, 2, 60))).toMatchObject({ newBeats: 2, missedBeats: 1, rrRaw: [] });
  });

  it('yields nothing for a repeated beat (count unchanged)', () => {
    const d = new AntHeartRateDecoder();
    d.push(page(0, 0, 0, 0, 1000, 7, 61));
    const repeat = d.push(page(0, 0, 0, 0, 1000, 7, 61));
    expect(repeat).toMatchObject({ bpm: 61, newBeats: 0, missedBeats: 0, rr: [], rrRaw: [] });
    expect(d.push(page(0, 0, 0, 0, 2000, 8, 61)).rrRaw).toEqual([1000]);
  });

  it('never reads bytes 1–3 of a legacy strap whose toggle bit never changes', () => {
    const d = new AntHeartRateDecoder();
    // Page byte 0x04 with a "previous beat" that would give a wrong interval if trusted.
    d.push(page(0x04, 0, 0x00, 0x00, 1000, 1, 60));
    const next = d.push(page(0x04, 0, 0x00, 0x00, 3000, 4, 60));
    expect(d.paged).toBe(false);
    expect(next.page).toBeUndefined();
    expect(next).toMatchObject({ newBeats: 3, missedBeats: 2, rrRaw: [] });
    expect(d.info).toEqual({});
  });

  it('collects device information from background pages once paged', () => {
    const d = new AntHeartRateDecoder();
    d.push(page(0x02, 0x01, 0x34, 0x12, 100, 1, 60)); // not yet trusted
    expect(d.info).toEqual({});
    d.push(page(0x82, 0x01, 0x34, 0x12, 1124, 2, 60));
    d.push(page(0x03, 5, 12, 44, 2148, 3, 60));
    d.push(page(0x87, 0x5a, 0x80, 0x23, 3172, 4, 60));
    d.push(page(0x01, 0x10, 0x27, 0x00, 4196, 5, 60));
    expect(d.info).toEqual({
      manufacturerId: 1,
      serialNumberHigh: 0x1234,
      hardwareVersion: 5,
      softwareVersion: 12,
      modelNumber: 44,
      cumulativeOperatingTimeS: 20000,
      battery: { levelPct: 90, voltageV: 3.5, status: 'good' },
    });
  });

  it('starts afresh after a silence too long for the 16-bit beat time', () => {
    const d = new AntHeartRateDecoder();
    d.push(page(0, 0, 0, 0, 1000, 10, 60), 0);
    expect(d.push(page(0, 0, 0, 0, 2024, 11, 60), 1000).rrRaw).toEqual([1024]);
    // 70 s later the count happens to be +1, but 70 beats passed: no interval
    expect(d.push(page(0, 0, 0, 0, 3048, 12, 60), 1000 + ANT_HRM_MAX_GAP_MS + 10_000)).toMatchObject({ rrRaw: [], newBeats: 0 });
    expect(d.push(page(0, 0, 0, 0, 4072, 13, 60), 72_000).rrRaw).toEqual([1024]);
    d.reset();
    expect(d.push(page(0, 0, 0, 0, 5096, 14, 60), 73_000).rrRaw).toEqual([]);
  });

  it('the sum of the RR intervals equals the span of beat times when no beat is missed', () => {
    // A strap at varying rate; each message one new beat. Expected total by hand: 700+800+900+1000+1100 ticks.
    const d = new AntHeartRateDecoder();
    let time = 65000;
    const rr: number[] = [];
    d.push(page(0, 0, 0, 0, time, 250, 80));
    for (const [i, interval] of [700, 800, 900, 1000, 1100].entries()) {
      time = (time + interval) & 0xffff;
      rr.push(...d.push(page(0, 0, 0, 0, time, (251 + i) & 0xff, 80)).rrRaw);
    }
    expect(rr).toEqual([700, 800, 900, 1000, 1100]);
    expect(rr.reduce((a, b) => a + b, 0)).toBe(4500);
  });
});

describe('ANT+ heart-rate receiver (scan mode)', () => {
  const channelData = (deviceNumber: number, deviceType: number, data: Uint8Array) =>
    decodeAntMessage({ id: 0x4e, payload: Uint8Array.from([0, ...data, 0x80, deviceNumber & 0xff, deviceNumber >> 8, deviceType, 1]) });

  it('keeps one decoder per strap and ignores other device types', () => {
    const receiver = new AntHeartRateReceiver();
    receiver.handle(channelData(1, 0x78, page(0, 0, 0, 0, 1000, 1, 60)));
    receiver.handle(channelData(2, 0x78, page(0, 0, 0, 0, 5000, 9, 90)));
    const a = receiver.handle(channelData(1, 0x78, page(0, 0, 0, 0, 2024, 2, 60)));
    const b = receiver.handle(channelData(2, 0x78, page(0, 0, 0, 0, 5700, 10, 90)));
    expect(a).toMatchObject({ deviceKey: '1:120:1', reading: { rrRaw: [1024] } });
    expect(b).toMatchObject({ deviceKey: '2:120:1', reading: { rrRaw: [700] } });
    expect(receiver.handle(channelData(3, 0x0b, page(0x10, 0, 0, 0, 0, 0, 0)))).toBeUndefined(); // bike power
    expect(receiver.handle(decodeAntMessage({ id: 0x40, payload: Uint8Array.of(0, 1, 2) }))).toBeUndefined();
    expect(receiver.deviceCount).toBe(2);
  });

  it('forgets the strap heard least recently when full', () => {
    const receiver = new AntHeartRateReceiver(2);
    receiver.handle(channelData(1, 0x78, page(0, 0, 0, 0, 0, 0, 60)));
    receiver.handle(channelData(2, 0x78, page(0, 0, 0, 0, 0, 0, 60)));
    receiver.handle(channelData(1, 0x78, page(0, 0, 0, 0, 1024, 1, 60)));
    receiver.handle(channelData(3, 0x78, page(0, 0, 0, 0, 0, 0, 60)));
    expect(receiver.deviceCount).toBe(2);
    expect(receiver.decoder('2:120:1')).toBeUndefined();
    expect(receiver.decoder('1:120:1')).toBeDefined();
  });

  it('keys plain broadcasts without a channel id by channel', () => {
    const receiver = new AntHeartRateReceiver();
    const event = receiver.handle(decodeAntMessage({ id: 0x4e, payload: Uint8Array.from([3, ...page(0, 0, 0, 0, 0, 0, 70)]) }));
    expect(event).toMatchObject({ deviceKey: 'channel:3', reading: { bpm: 70 } });
    expect(event?.channelId).toBeUndefined();
  });
});

describe('ANT+ heart-rate stick setup', () => {
  // protocols.md §2.4 frames; the all-zero key as in the jdeerhake gist (the real key comes from configuration)
  it('produces the logged command sequence for one channel', () => {
    const frames = antHeartRateSetup({ networkKey: new Uint8Array(8), mode: 'channel' });
    expect(frames).toEqual(
      [
        'A4 01 4A 00 EF', // reset
        'A4 09 46 00 00 00 00 00 00 00 00 00 EB', // network key on network 0
        'A4 03 42 00 00 00 E5', // assign ch0 bidirectional slave, network 0
        'A4 05 51 00 00 00 78 00 88', // channel id: any HR strap
        'A4 03 43 00 86 1F 7D', // period 8070
        'A4 02 45 00 39 DA', // RF 57
        'A4 02 44 00 FF 1D', // search timeout: never
        'A4 02 6E 00 E0 28', // lib config: device id + RSSI + timestamp
        'A4 01 4B 00 EE', // open
      ].map(hex),
    );
  });

  it('ends in continuous scan mode by default, with 0x66 for older sticks on request', () => {
    const frames = antHeartRateSetup({ networkKey: new Uint8Array(8), channel: 3, extendedData: 'enable-extended' });
    expect(frames.at(-1)).toEqual(hex('A4 01 5B 00 FE'));
    expect(frames.at(-2)).toEqual(hex('A4 02 66 00 01 C1'));
    expect(frames[2]).toEqual(hex('A4 03 42 00 00 00 E5')); // scan mode always uses channel 0
    expect(frames).toHaveLength(8);
  });

  it('needs an 8-byte key', () => {
    expect(() => antHeartRateSetup({ networkKey: new Uint8Array(4) })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
  });
});
