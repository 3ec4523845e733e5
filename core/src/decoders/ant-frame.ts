/**
 * ANT serial framing, as spoken by Garmin/Dynastream USB sticks:
 * `SYNC 0xA4 | LEN | MSG_ID | payload[LEN] | CHECKSUM`, the checksum being the XOR of every byte
 * before it, sync included (ANT Message Protocol and Usage D00000652; openant `base/message.py`).
 *
 * There is no escaping: payload and checksum bytes may equal 0xA4 (a real ANTUSB-m capabilities
 * reply ends in checksum 0xA4), so frames are cut by the length byte, never by hunting for the next
 * sync. USB reads split and join frames arbitrarily and sticks pad reads with zeros.
 */
import { TouchlineError } from '../errors.ts';
import { formatHex } from './hex.ts';

export const ANT_SYNC = 0xa4;

/**
 * The largest LEN a stick may send: 8 data bytes + flag byte + 31 extended bytes + channel
 * (Dynastream ANT library `antdefines.h`, MESG_MAX_SIZE_VALUE = 41). A larger LEN marks a false sync.
 */
export const ANT_MAX_PAYLOAD = 41;

export interface AntFrame {
  id: number;
  payload: Uint8Array;
}

function xor(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= bytes[i] as number;
  return sum;
}

/** Builds one frame; the message builders in ant-messages.ts use this. */
export function encodeAntFrame(id: number, payload: ArrayLike<number>): Uint8Array {
  if (!Number.isInteger(id) || id < 1 || id > 0xff) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `ANT message id must be 1–255, got ${id}`);
  }
  if (payload.length < 1 || payload.length > ANT_MAX_PAYLOAD) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `ANT payload must be 1–${ANT_MAX_PAYLOAD} bytes, got ${payload.length}`);
  }
  const frame = new Uint8Array(payload.length + 4);
  frame[0] = ANT_SYNC;
  frame[1] = payload.length;
  frame[2] = id;
  for (let i = 0; i < payload.length; i++) {
    const byte = payload[i] as number;
    if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) {
      throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `ANT payload byte ${i} must be 0–255, got ${byte}`);
    }
    frame[3 + i] = byte;
  }
  frame[frame.length - 1] = xor(frame, 0, frame.length - 1);
  return frame;
}

export type AntFrameRead =
  | { status: 'frame'; frame: AntFrame; size: number }
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: string };

/**
 * Reads the frame whose sync byte is at `offset`. Every ANT message carries at least one byte
 * (commands with nothing to say send a filler 0) and id 0 is unused, so LEN 0 or id 0 is a false sync.
 */
export function readAntFrameAt(bytes: Uint8Array, offset: number): AntFrameRead {
  if (bytes[offset] !== ANT_SYNC) return { status: 'invalid', reason: `no sync byte (0xA4) at byte ${offset}` };
  if (bytes.length < offset + 3) return { status: 'incomplete' };
  const length = bytes[offset + 1] as number;
  if (length < 1 || length > ANT_MAX_PAYLOAD) {
    return { status: 'invalid', reason: `length ${length} at byte ${offset + 1} is outside 1–${ANT_MAX_PAYLOAD}` };
  }
  const id = bytes[offset + 2] as number;
  if (id === 0) return { status: 'invalid', reason: `message id 0 at byte ${offset + 2}` };
  const end = offset + length + 3;
  if (bytes.length <= end) return { status: 'incomplete' };
  const expected = xor(bytes, offset, end);
  const actual = bytes[end] as number;
  if (expected !== actual) {
    const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
    return { status: 'invalid', reason: `checksum at byte ${end} is ${hex(actual)}, expected ${hex(expected)}` };
  }
  return { status: 'frame', frame: { id, payload: Uint8Array.from(bytes.subarray(offset + 3, end)) }, size: length + 4 };
}

/**
 * Batch form: splits a complete capture into frames, allowing the zero padding sticks add between
 * USB reads, and rejecting anything else with the offending offset.
 */
export function decodeAntFrames(bytes: Uint8Array): AntFrame[] {
  const frames: AntFrame[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] === 0) {
      offset++;
      continue;
    }
    const read = readAntFrameAt(bytes, offset);
    if (read.status === 'frame') {
      frames.push(read.frame);
      offset += read.size;
      continue;
    }
    const reason = read.status === 'incomplete' ? `the frame at byte ${offset} is cut short` : read.reason;
    throw new TouchlineError('TL_ERR_ANT_FRAME', `Bad ANT data: ${reason}. Bytes: ${formatHex(bytes)}`, { offset, bytes: formatHex(bytes) });
  }
  return frames;
}

export interface AntDeframerStats {
  frames: number;
  /** Sync bytes whose length or checksum did not check out. */
  corruptFrames: number;
  /** Bytes outside any valid frame, zero padding excluded. */
  discardedBytes: number;
  paddingBytes: number;
}

/**
 * Streaming form for a serial/USB port: feed each read as it arrives and get the complete frames.
 * A corrupt candidate is skipped by one byte and the search resumes inside it, so a frame that
 * follows a damaged one is still found. Never throws on data; keeps at most one frame's bytes.
 */
export interface AntDeframerOptions {
  /**
   * Rejects frames whose id and length are implausible, as if their checksum had failed. With an
   * 8-bit checksum, line noise yields a checksum-valid false frame every ~400 kB; a receiver that
   * knows which messages its stick can send (isPlausibleStickMessage) cuts that a hundredfold.
   */
  accept?: (id: number, payloadLength: number) => boolean;
}

export class AntDeframer {
  readonly stats: AntDeframerStats = { frames: 0, corruptFrames: 0, discardedBytes: 0, paddingBytes: 0 };
  #pending: Uint8Array = new Uint8Array(0);
  readonly #accept: AntDeframerOptions['accept'];

  constructor(options: AntDeframerOptions = {}) {
    this.#accept = options.accept;
  }

  push(chunk: Uint8Array): AntFrame[] {
    const bytes = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    const frames: AntFrame[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const byte = bytes[offset];
      if (byte !== ANT_SYNC) {
        if (byte === 0) this.stats.paddingBytes++;
        else this.stats.discardedBytes++;
        offset++;
        continue;
      }
      const read = readAntFrameAt(bytes, offset);
      if (read.status === 'incomplete') break;
      if (read.status === 'invalid' || (this.#accept && !this.#accept(read.frame.id, read.frame.payload.length))) {
        this.stats.corruptFrames++;
        this.stats.discardedBytes++;
        offset++;
        continue;
      }
      frames.push(read.frame);
      this.stats.frames++;
      offset += read.size;
    }
    // A copy, not a view: the caller may reuse its read buffer.
    this.#pending = Uint8Array.from(bytes.subarray(offset));
    return frames;
  }

  /** Bytes held back waiting for the rest of a frame (at most ANT_MAX_PAYLOAD + 3). */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** Drops a half-received frame, e.g. after the stick was reset or unplugged. */
  reset(): void {
    this.#pending = new Uint8Array(0);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
