/**
 * A forward-only little-endian reader over one payload. Every protocol here (BLE GATT, ANT) sends
 * multi-byte fields least significant byte first, and each decoder wants its own coded error when a
 * field runs past the end, so the cursor asks its owner how to fail.
 */
import type { TouchlineError } from '../errors.ts';

export class ByteCursor {
  readonly bytes: Uint8Array;
  offset = 0;
  readonly #truncated: (field: string) => TouchlineError;

  constructor(bytes: Uint8Array, truncated: (field: string) => TouchlineError, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
    this.#truncated = truncated;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  #take(field: string, size: number): number {
    if (this.remaining < size) throw this.#truncated(field);
    const at = this.offset;
    this.offset += size;
    return at;
  }

  u8(field: string): number {
    return this.bytes[this.#take(field, 1)] as number;
  }

  u16(field: string): number {
    const at = this.#take(field, 2);
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8);
  }

  s16(field: string): number {
    const value = this.u16(field);
    return value >= 0x8000 ? value - 0x10000 : value;
  }

  u24(field: string): number {
    const at = this.#take(field, 3);
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8) | ((this.bytes[at + 2] as number) << 16);
  }

  u32(field: string): number {
    const low = this.u16(field);
    return low + this.u16(field) * 0x10000;
  }

  s8(field: string): number {
    const value = this.u8(field);
    return value >= 0x80 ? value - 0x100 : value;
  }

  take(field: string, size: number): Uint8Array {
    const at = this.#take(field, size);
    return Uint8Array.from(this.bytes.subarray(at, at + size));
  }
}
