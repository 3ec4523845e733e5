/** `touchline decode KIND DATA…`: decodes sensor payloads pasted from a sniffer, a log or an MQTT tool. */
import { TouchlineError } from '../errors.ts';
import { ANT_PLUS_HEART_RATE, AntHeartRateDecoder, antDeviceKey } from '../decoders/ant-hrm.ts';
import { decodeAntFrames } from '../decoders/ant-frame.ts';
import { antMessageName, decodeAntMessage } from '../decoders/ant-messages.ts';
import { decodeBleBatteryLevel } from '../decoders/ble-battery.ts';
import { decodeBleCyclingPower } from '../decoders/ble-cycling-power.ts';
import { decodeBleHeartRate } from '../decoders/ble-heart-rate.ts';
import { decodeBleRsc } from '../decoders/ble-rsc.ts';
import { formatHex, parseHex } from '../decoders/hex.ts';
import { parseNmeaSentence } from '../decoders/nmea.ts';
import { flattenForCsv, type Command, type CommandResult } from './command.ts';

const BLE_DECODERS: Readonly<Record<string, (bytes: Uint8Array) => object>> = {
  'ble-hrm': decodeBleHeartRate,
  'ble-battery': decodeBleBatteryLevel,
  'ble-rsc': decodeBleRsc,
  'ble-cycling-power': decodeBleCyclingPower,
};

const KINDS = [...Object.keys(BLE_DECODERS), 'ant', 'nmea'];

const usage = [
  'touchline decode KIND DATA... [options] [--format json|csv]',
  '  ble-hrm HEX             BLE Heart Rate Measurement (0x2A37): bpm, sensor contact, energy, every RR interval',
  '  ble-battery HEX         BLE Battery Level (0x2A19)',
  '  ble-rsc HEX             BLE Running Speed and Cadence Measurement (0x2A53)',
  '  ble-cycling-power HEX   BLE Cycling Power Measurement (0x2A63)',
  '  ant HEX                 one or more ANT serial frames (A4 LEN ID ... CHECKSUM), each decoded; heart-rate',
  '                          pages and RR intervals when the channel id says device type 0x78 or with --profile hrm',
  "  nmea 'SENTENCE'...      NMEA 0183 sentences (quote them: they start with $); GGA, RMC and the rest",
  'HEX is pairs of hex digits; spaces, colons and dashes are allowed and several arguments are joined.',
  'Options:',
  '  --profile hrm           (ant) read every broadcast as an ANT+ heart-rate page',
  '  --date YYYY-MM-DD       (nmea) the UTC date of GGA sentences, which carry none (an earlier RMC also gives it)',
].join('\n');

/** Byte arrays print as hex, the way they were typed in. */
function printable(value: unknown): unknown {
  if (value instanceof Uint8Array) return formatHex(value);
  if (Array.isArray(value)) return value.map(printable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  return value;
}

/** Rows of different shapes (one per message kind) share one CSV header. */
function rowsResult(rows: Record<string, unknown>[]): CommandResult {
  const flat = rows.map((row) => flattenForCsv(row));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  return { kind: 'rows', rows, columns };
}

function decodeAnt(hex: string, forceHrm: boolean): CommandResult {
  // One decoder per strap, so RR intervals come out of consecutive pages as they would live.
  const straps = new Map<string, AntHeartRateDecoder>();
  const rows = decodeAntFrames(parseHex(hex)).map((frame, index) => {
    const message = decodeAntMessage(frame);
    const row: Record<string, unknown> = { index, id: `0x${frame.id.toString(16).padStart(2, '0')}`, name: antMessageName(frame.id), ...message };
    if (message.kind === 'channel-data') {
      const channelId = message.extended?.channelId;
      if (forceHrm || channelId?.deviceType === ANT_PLUS_HEART_RATE.deviceType) {
        const key = channelId ? antDeviceKey(channelId) : `channel:${message.channel}`;
        const strap = straps.get(key) ?? new AntHeartRateDecoder();
        straps.set(key, strap);
        row.hrm = strap.push(message.data);
      }
    }
    return printable(row) as Record<string, unknown>;
  });
  return rowsResult(rows);
}

function parseDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new TouchlineError('TL_ERR_CLI_USAGE', `--date needs YYYY-MM-DD, got "${text}"`);
  }
  return ms;
}

function decodeNmea(lines: string[], dateOption: string | undefined): CommandResult {
  let dayStartMs = parseDate(dateOption);
  const rows = lines.map((line) => {
    const sentence = parseNmeaSentence(line, dayStartMs === undefined ? {} : { dayStartMs });
    if (sentence.kind === 'RMC' && sentence.dayStartMs !== undefined) dayStartMs = sentence.dayStartMs;
    const t = sentence.kind === 'other' ? undefined : sentence.t;
    return { ...sentence, ...(t === undefined ? {} : { utc: new Date(t).toISOString() }) };
  });
  return rowsResult(rows);
}

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode BLE heart-rate/battery/RSC/power payloads, ANT serial frames and ANT+ HR pages, NMEA sentences',
  usage,
  options: {
    profile: { type: 'string' },
    date: { type: 'string' },
  },
  async run(positionals, values) {
    const [kind, ...data] = positionals;
    if (kind === undefined || !KINDS.includes(kind)) {
      throw new TouchlineError('TL_ERR_CLI_USAGE', `decode needs a KIND (${KINDS.join(', ')}), got "${kind ?? ''}"\nusage: ${usage}`);
    }
    if (data.length === 0) throw new TouchlineError('TL_ERR_CLI_USAGE', `decode ${kind} needs data to decode\nusage: ${usage}`);
    const profile = values.profile;
    if (profile !== undefined && (kind !== 'ant' || profile !== 'hrm')) {
      throw new TouchlineError('TL_ERR_CLI_USAGE', `--profile hrm applies to decode ant only, got --profile ${String(profile)} with ${kind}`);
    }
    if (values.date !== undefined && kind !== 'nmea') throw new TouchlineError('TL_ERR_CLI_USAGE', '--date applies to decode nmea only');
    const decodeBle = BLE_DECODERS[kind];
    if (decodeBle) return { kind: 'object', value: decodeBle(parseHex(data.join(' '))) };
    if (kind === 'ant') return decodeAnt(data.join(' '), profile === 'hrm');
    return decodeNmea(data, values.date as string | undefined);
  },
};
