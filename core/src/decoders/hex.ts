/** Hex text ⇄ bytes, for payloads pasted from sniffer logs, forum posts and MQTT debug tools. */
import { TouchlineError } from '../errors.ts';

/** Separators seen in the wild: spaces (nRF Connect), colons (Wireshark), dashes (ANTware II). */
const SEPARATORS = /[\s:-]+/g;

/** Parses hex pairs, tolerating spaces, colons and dashes between or within them. */
export function parseHex(text: string): Uint8Array {
  const digits = text.replace(SEPARATORS, '');
  const bad = digits.search(/[^0-9a-fA-F]/);
  if (bad >= 0) {
    throw new TouchlineError('TL_ERR_HEX', `"${digits[bad]}" is not a hex digit in "${text}"`, { input: text });
  }
  if (digits.length === 0) throw new TouchlineError('TL_ERR_HEX', 'No hex bytes were given.', { input: text });
  if (digits.length % 2 !== 0) {
    throw new TouchlineError('TL_ERR_HEX', `"${text}" has ${digits.length} hex digits; bytes need pairs.`, { input: text });
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Upper-case, space-separated hex, the form the reference notes and error messages use. */
export function formatHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}
