/**
 * Rewrites FIT messages that use the compressed-timestamp record header into ordinary data messages
 * with an explicit `timestamp` field, so @garmin/fitsdk (which rejects compressed headers: "compressed
 * timestamp messages are not currently supported") can decode the file with all its usual field
 * handling, including the expansion of `compressed_speed_distance` into accumulated speed and distance.
 *
 * Layout and timestamp rule from the FIT Protocol, "Compressed Timestamp Header"
 * (https://developer.garmin.com/fit/protocol/): header bit 7 set, bits 5–6 the local message type,
 * bits 0–4 a time offset in seconds. The timestamp is
 *   last + ((offset − last) mod 32),
 * where `last` is the most recent timestamp, from a `timestamp` field (number 253) of any message or
 * from the previous compressed header. Each rewritten message is preceded by a redefinition of its local
 * type with the timestamp field appended; the original definition is written back before the next
 * ordinary message of that type.
 */
import { CrcCalculator } from '@garmin/fitsdk';

const TIMESTAMP_FIELD = 253;
const UINT32_BASE_TYPE = 0x86;

interface LocalDefinition {
  /** The definition message as it appeared in the file, header byte included. */
  bytes: Uint8Array;
  littleEndian: boolean;
  fieldsSize: number;
  developerSize: number;
  /** Byte offset of the timestamp field inside a data message, or -1. */
  timestampOffset: number;
}

function readDefinition(buf: Uint8Array, at: number): { definition: LocalDefinition; end: number } | undefined {
  const header = buf[at]!;
  const hasDeveloperFields = (header & 0x20) !== 0;
  const fieldCount = buf[at + 5];
  if (fieldCount === undefined) return undefined;
  let pos = at + 6;
  let fieldsSize = 0;
  let timestampOffset = -1;
  for (let i = 0; i < fieldCount; i++, pos += 3) {
    const number = buf[pos];
    const size = buf[pos + 1];
    if (number === undefined || size === undefined) return undefined;
    if (number === TIMESTAMP_FIELD && size === 4) timestampOffset = fieldsSize;
    fieldsSize += size;
  }
  let developerSize = 0;
  if (hasDeveloperFields) {
    const developerCount = buf[pos++];
    if (developerCount === undefined) return undefined;
    for (let i = 0; i < developerCount; i++, pos += 3) developerSize += buf[pos + 1] ?? 0;
  }
  if (pos > buf.length) return undefined;
  const definition = { bytes: buf.subarray(at, pos), littleEndian: buf[at + 2] === 0, fieldsSize, developerSize, timestampOffset };
  return { definition, end: pos };
}

/** The same definition with a uint32 timestamp field appended after the ordinary fields. */
function withTimestampField(def: LocalDefinition): Uint8Array {
  const fieldCount = def.bytes[5]!;
  const fieldsEnd = 6 + fieldCount * 3;
  const out = new Uint8Array(def.bytes.length + 3);
  out.set(def.bytes.subarray(0, fieldsEnd));
  out[5] = fieldCount + 1;
  out.set([TIMESTAMP_FIELD, 4, UINT32_BASE_TYPE], fieldsEnd);
  out.set(def.bytes.subarray(fieldsEnd), fieldsEnd + 3);
  return out;
}

/**
 * Returns the input unchanged when it has no compressed-timestamp messages or when its structure cannot
 * be followed (then fitsdk reports the problem); otherwise an equivalent FIT file without them.
 */
export function expandCompressedTimestamps(bytes: Uint8Array): Uint8Array {
  const headerSize = bytes[0];
  if (headerSize !== 12 && headerSize !== 14) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataEnd = headerSize + view.getUint32(4, true);
  if (dataEnd + 2 > bytes.length) return bytes;

  const definitions = new Map<number, LocalDefinition>();
  /** Which definition of each local type the output currently holds: the file's own or the extended one. */
  const written = new Map<number, 'original' | 'extended'>();
  const chunks: Uint8Array[] = [];
  let lastTimestamp: number | undefined;
  let sawCompressed = false;
  let pos = headerSize;

  while (pos < dataEnd) {
    const header = bytes[pos]!;
    if ((header & 0x80) === 0 && (header & 0x40) !== 0) {
      const parsed = readDefinition(bytes, pos);
      if (!parsed) return bytes;
      definitions.set(header & 0x0f, parsed.definition);
      written.set(header & 0x0f, 'original');
      chunks.push(parsed.definition.bytes);
      pos = parsed.end;
      continue;
    }
    const compressed = (header & 0x80) !== 0;
    const local = compressed ? (header >> 5) & 0x03 : header & 0x0f;
    const def = definitions.get(local);
    if (!def) return bytes;
    const size = def.fieldsSize + def.developerSize;
    if (pos + 1 + size > dataEnd) return bytes;
    const body = bytes.subarray(pos + 1, pos + 1 + size);

    if (!compressed || def.timestampOffset >= 0) {
      if (written.get(local) !== 'original') {
        chunks.push(def.bytes);
        written.set(local, 'original');
      }
      const at = def.timestampOffset;
      if (at >= 0) {
        const ts = new DataView(body.buffer, body.byteOffset + at, 4).getUint32(0, def.littleEndian);
        if (ts !== 0xffffffff) lastTimestamp = ts;
      }
      chunks.push(Uint8Array.of(local), body);
    } else {
      if (lastTimestamp === undefined) return bytes;
      sawCompressed = true;
      const offset = header & 0x1f;
      lastTimestamp = (lastTimestamp + ((offset - lastTimestamp) & 0x1f)) >>> 0;
      if (written.get(local) !== 'extended') {
        chunks.push(withTimestampField(def));
        written.set(local, 'extended');
      }
      const timestamp = new Uint8Array(4);
      new DataView(timestamp.buffer).setUint32(0, lastTimestamp, def.littleEndian);
      chunks.push(Uint8Array.of(local), body.subarray(0, def.fieldsSize), timestamp, body.subarray(def.fieldsSize));
    }
    pos += 1 + size;
  }
  if (!sawCompressed) return bytes;

  const dataSize = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(headerSize + dataSize + 2 + (bytes.length - dataEnd - 2));
  out.set(bytes.subarray(0, headerSize));
  new DataView(out.buffer).setUint32(4, dataSize, true);
  if (headerSize === 14) new DataView(out.buffer).setUint16(12, CrcCalculator.calculateCRC(out, 0, 12), true);
  let at = headerSize;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  new DataView(out.buffer).setUint16(at, CrcCalculator.calculateCRC(out, 0, at), true);
  out.set(bytes.subarray(dataEnd + 2), at + 2);
  return out;
}
