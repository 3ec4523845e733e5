import { describe, expect, it } from 'vitest';
import { TouchlineError } from '../src/errors.ts';
import {
  ANT_MAX_PAYLOAD,
  AntDeframer,
  decodeAntFrames,
  encodeAntFrame,
  isPlausibleStickMessage,
  parseHex,
  type AntFrame,
} from '../src/decoders/index.ts';

const hex = parseHex;

// Real and reference frames (protocols.md): each is one complete, checksummed frame.
const CHANNEL_RESPONSE = hex('A4 03 40 00 46 00 A1'); // §2.2 openant tests/base/test_message.py
const CAPABILITIES_CS_A4 = hex('A4 07 54 08 08 00 BA 36 00 DF A4'); // §2.2 python-ant issue #25, checksum = 0xA4 [captured]
const STARTUP = hex('A4 01 6F 20 EA'); // §2.4 jdeerhake gist [captured]
const HR_BROADCAST = hex('a4 0e 4e 02 84 ff a5 e2 a5 e6 ca 3c 80 52 62 78 71 d6'); // §2.7 openant debug log [captured]
const RF_EVENT = hex('a4 03 40 02 01 09 ed'); // §2.7 same log: EVENT_CHANNEL_COLLISION
const ALL_EXTENDED = hex('a4144e00847eb603a6039803e0623656011000680034f0d0'); // §2.6 thisisant viewreply/9437 [captured]

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The frame as it would be cut from the stream by hand: id byte and the LEN bytes after it. */
function cut(frame: Uint8Array): AntFrame {
  return { id: frame[2] as number, payload: frame.slice(3, frame.length - 1) };
}

function feed(deframer: AntDeframer, bytes: Uint8Array, chunkSizes: (i: number) => number): AntFrame[] {
  const frames: AntFrame[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSizes(i));
    frames.push(...deframer.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return frames;
}

/** Deterministic PRNG (mulberry32) so the garbage tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ANT frame encoder', () => {
  // §2.2: the openant unit-test frame, rebuilt from id and payload
  it('builds sync, length, id, payload and the XOR checksum', () => {
    expect(encodeAntFrame(0x40, [0x00, 0x46, 0x00])).toEqual(CHANNEL_RESPONSE);
    expect(encodeAntFrame(0x54, [0x08, 0x08, 0x00, 0xba, 0x36, 0x00, 0xdf])).toEqual(CAPABILITIES_CS_A4);
  });

  it('refuses ids and payloads a stick would not accept', () => {
    for (const bad of [() => encodeAntFrame(0, [0]), () => encodeAntFrame(0x4e, []), () => encodeAntFrame(0x4e, new Array(42).fill(0)), () => encodeAntFrame(0x4e, [256])]) {
      expect(bad).toThrow(TouchlineError);
    }
  });
});

describe('ANT streaming deframer', () => {
  const capture = concat(STARTUP, CHANNEL_RESPONSE, CAPABILITIES_CS_A4, HR_BROADCAST, RF_EVENT, ALL_EXTENDED);
  const expected = [STARTUP, CHANNEL_RESPONSE, CAPABILITIES_CS_A4, HR_BROADCAST, RF_EVENT, ALL_EXTENDED].map(cut);

  it('cuts concatenated frames by length, even when a checksum is 0xA4', () => {
    const deframer = new AntDeframer();
    expect(deframer.push(capture)).toEqual(expected);
    expect(deframer.stats).toEqual({ frames: 6, corruptFrames: 0, discardedBytes: 0, paddingBytes: 0 });
    expect(deframer.pendingBytes).toBe(0);
  });

  it('joins frames split across reads at every possible point', () => {
    for (let split = 1; split < capture.length; split++) {
      const deframer = new AntDeframer();
      const frames = [...deframer.push(capture.subarray(0, split)), ...deframer.push(capture.subarray(split))];
      expect(frames).toEqual(expected);
    }
    expect(feed(new AntDeframer(), capture, () => 1)).toEqual(expected);
    expect(feed(new AntDeframer(), capture, (i) => [3, 7, 64, 2, 5][i % 5] as number)).toEqual(expected);
  });

  // §2.2: USB sticks pad reads with zeros (trailing 00 00 after frames in the emulator notes)
  it('skips zero padding between and after frames', () => {
    const padded = concat(CHANNEL_RESPONSE, new Uint8Array(2), CAPABILITIES_CS_A4, new Uint8Array(57), HR_BROADCAST, new Uint8Array(3));
    const deframer = new AntDeframer();
    expect(feed(deframer, padded, () => 64)).toEqual([CHANNEL_RESPONSE, CAPABILITIES_CS_A4, HR_BROADCAST].map(cut));
    expect(deframer.stats).toMatchObject({ frames: 3, corruptFrames: 0, discardedBytes: 0, paddingBytes: 62 });
  });

  it('resynchronises after a corrupt frame and counts it instead of throwing', () => {
    const damaged = HR_BROADCAST.slice();
    damaged[8] = (damaged[8] as number) ^ 0x10; // one flipped bit in the data
    const deframer = new AntDeframer();
    const frames = feed(deframer, concat(CHANNEL_RESPONSE, damaged, CAPABILITIES_CS_A4, RF_EVENT), () => 5);
    expect(frames).toEqual([CHANNEL_RESPONSE, CAPABILITIES_CS_A4, RF_EVENT].map(cut));
    expect(deframer.stats.corruptFrames).toBeGreaterThanOrEqual(1);
    expect(deframer.stats.discardedBytes).toBeGreaterThanOrEqual(damaged.length);
  });

  // §2.2: incyclist's "Valid Message" fixture says LEN 0x14 but carries 19 payload bytes and a bad checksum
  it('does not accept the malformed incyclist fixture, and finds the frame after it', () => {
    const incyclist = hex('a4144e0010193ddb00005c35e02e0a110510006800871f');
    const deframer = new AntDeframer();
    expect(deframer.push(incyclist)).toEqual([]); // too short for its LEN: waits for more
    expect(deframer.push(concat(STARTUP, CHANNEL_RESPONSE))).toEqual([STARTUP, CHANNEL_RESPONSE].map(cut));
    expect(deframer.stats.corruptFrames).toBeGreaterThanOrEqual(1);
  });

  it('recovers when bytes of a frame were lost on the wire', () => {
    const truncated = HR_BROADCAST.slice(0, 9); // the rest of this frame never arrived
    const deframer = new AntDeframer();
    expect(feed(deframer, concat(truncated, ALL_EXTENDED, STARTUP), () => 4)).toEqual([ALL_EXTENDED, STARTUP].map(cut));
  });

  it('treats an out-of-range length as a false sync', () => {
    const deframer = new AntDeframer();
    expect(deframer.push(concat(hex('A4 2A 4E'), hex('A4 00 4E'), STARTUP))).toEqual([cut(STARTUP)]);
    expect(deframer.stats.corruptFrames).toBe(2);
    expect(deframer.pendingBytes).toBe(0);
  });

  it('never holds more than one frame of bytes', () => {
    const deframer = new AntDeframer();
    deframer.push(hex(`A4 ${ANT_MAX_PAYLOAD.toString(16)} 4E`));
    for (let i = 0; i < 40; i++) deframer.push(Uint8Array.of(0x11));
    expect(deframer.pendingBytes).toBeLessThanOrEqual(ANT_MAX_PAYLOAD + 3);
    deframer.reset();
    expect(deframer.pendingBytes).toBe(0);
  });

  it('neither throws nor invents frames when fed a long stream of random garbage', () => {
    const random = prng(0x5eed);
    const garbage = Uint8Array.from({ length: 256 * 1024 }, () => Math.floor(random() * 256));
    // Independent oracle: every offset where sync, a length of 1–41, a non-zero id and the XOR all
    // check out. With an 8-bit checksum chance frames exist (about 2.4e-6 per byte), so the
    // deframer may only ever emit frames the oracle also finds.
    const genuine = new Set<string>();
    for (let i = 0; i + 4 < garbage.length; i++) {
      const len = garbage[i + 1] as number;
      if (garbage[i] !== 0xa4 || len < 1 || len > 41 || garbage[i + 2] === 0 || i + len + 3 >= garbage.length) continue;
      let x = 0;
      for (let j = i; j < i + len + 3; j++) x ^= garbage[j] as number;
      if (x === garbage[i + len + 3]) genuine.add(Array.from(garbage.subarray(i, i + len + 4)).join(','));
    }
    const deframer = new AntDeframer();
    const frames = feed(deframer, garbage, () => Math.floor(random() * 80));
    for (const frame of frames) expect(genuine.has(Array.from(encodeAntFrame(frame.id, frame.payload)).join(','))).toBe(true);
    expect(frames.length).toBeLessThanOrEqual(genuine.size);
    expect(deframer.stats.corruptFrames).toBeGreaterThan(500); // ~1/256 of the bytes are false syncs
    expect(deframer.pendingBytes).toBeLessThanOrEqual(ANT_MAX_PAYLOAD + 3);
    // and real frames after the garbage are still found
    expect(deframer.push(concat(new Uint8Array(50), STARTUP, CHANNEL_RESPONSE)).slice(-2)).toEqual([STARTUP, CHANNEL_RESPONSE].map(cut));

    // This seed's garbage holds chance frames (the oracle finds some); a receiver that only accepts
    // what a stick can send emits none of them, yet still gets every real frame.
    expect(genuine.size).toBeGreaterThan(0);
    const receiver = new AntDeframer({ accept: isPlausibleStickMessage });
    expect(feed(receiver, garbage, (i) => (i * 7) % 90)).toEqual([]);
    expect(receiver.push(concat(new Uint8Array(50), capture))).toEqual(expected);
  });

  it('accepts every captured stick frame when filtering on what a stick sends', () => {
    const deframer = new AntDeframer({ accept: isPlausibleStickMessage });
    expect(deframer.push(capture)).toEqual(expected);
    // a host command (open channel, §2.4) is not something a stick sends
    expect(deframer.push(hex('A4 01 4B 00 EE'))).toEqual([]);
    expect(deframer.stats.corruptFrames).toBe(1);
  });
});

describe('ANT batch deframing', () => {
  it('agrees with the streaming deframer on a clean padded capture', () => {
    const capture = concat(STARTUP, new Uint8Array(2), CAPABILITIES_CS_A4, HR_BROADCAST, RF_EVENT, new Uint8Array(4), ALL_EXTENDED);
    const streamed = feed(new AntDeframer(), capture, (i) => (i % 3) + 1);
    expect(decodeAntFrames(capture)).toEqual(streamed);
    expect(streamed).toHaveLength(5);
  });

  it('rejects a bad checksum, stray bytes and a cut-short frame with TL_ERR_ANT_FRAME and the offset', () => {
    const cases: [Uint8Array, number, RegExp][] = [
      [hex('A4 01 4A 00 EE'), 0, /checksum at byte 4 is EE, expected EF/],
      [concat(STARTUP, hex('13'), STARTUP), 5, /no sync/],
      [concat(STARTUP, HR_BROADCAST.slice(0, 10)), 5, /cut short/],
    ];
    for (const [bytes, offset, message] of cases) {
      let error: unknown;
      try {
        decodeAntFrames(bytes);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(TouchlineError);
      expect((error as TouchlineError).code).toBe('TL_ERR_ANT_FRAME');
      expect((error as TouchlineError).detail).toMatchObject({ offset });
      expect((error as TouchlineError).message).toMatch(message);
    }
  });
});
