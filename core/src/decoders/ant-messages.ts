/**
 * ANT messages carried in the serial frames of ant-frame.ts: ids, builders for the host→stick
 * commands a receiver needs, and a decoder for everything a stick sends back.
 * Sources: ANT Message Protocol and Usage (Dynastream D00000652) as mirrored by openant
 * (`Tigge/openant base/message.py`), Loghorn/ant-plus `src/ant.ts`, GoldenCheetah `src/ANT/ANT.h`, and
 * the Dynastream ANT library header `antdefines.h` for response codes, reset reasons and option bits.
 */
import { TouchlineError } from '../errors.ts';
import { ByteCursor } from './byte-cursor.ts';
import { encodeAntFrame, type AntFrame } from './ant-frame.ts';
import { formatHex } from './hex.ts';

export const ANT_MESSAGE_ID = {
  rfEvent: 0x01,
  version: 0x3e,
  channelResponse: 0x40,
  unassignChannel: 0x41,
  assignChannel: 0x42,
  channelPeriod: 0x43,
  searchTimeout: 0x44,
  rfFrequency: 0x45,
  setNetworkKey: 0x46,
  transmitPower: 0x47,
  resetSystem: 0x4a,
  openChannel: 0x4b,
  closeChannel: 0x4c,
  requestMessage: 0x4d,
  broadcastData: 0x4e,
  acknowledgedData: 0x4f,
  burstData: 0x50,
  channelId: 0x51,
  channelStatus: 0x52,
  capabilities: 0x54,
  openRxScanMode: 0x5b,
  extendedBroadcastData: 0x5d,
  extendedAcknowledgedData: 0x5e,
  extendedBurstData: 0x5f,
  serialNumber: 0x61,
  lowPrioritySearchTimeout: 0x63,
  enableExtendedMessages: 0x66,
  libConfig: 0x6e,
  startup: 0x6f,
  proximitySearch: 0x71,
  advancedBurstData: 0x72,
  serialError: 0xae,
} as const;

export type AntMessageName = keyof typeof ANT_MESSAGE_ID;

const MESSAGE_NAMES = new Map<number, AntMessageName>(
  Object.entries(ANT_MESSAGE_ID).map(([name, id]) => [id, name as AntMessageName]),
);

export function antMessageName(id: number): string {
  return MESSAGE_NAMES.get(id) ?? `0x${id.toString(16).padStart(2, '0')}`;
}

/** Assign-channel types (antdefines.h PARAMETER_*): a receiver is a bidirectional slave. */
export const ANT_CHANNEL_TYPE = {
  bidirectionalSlave: 0x00,
  bidirectionalMaster: 0x10,
  sharedBidirectionalSlave: 0x20,
  receiveOnlySlave: 0x40,
} as const;

/** Extended-assignment bits (antdefines.h EXT_PARAM_*); openant uses 0x01 for background scanning. */
export const ANT_EXTENDED_ASSIGNMENT = { alwaysSearch: 0x01, frequencyAgility: 0x04 } as const;

/** Lib-config flags (antdefines.h ANT_LIB_CONFIG_MESG_OUT_INC_*): what each received data message carries. */
export const ANT_LIB_CONFIG = { deviceId: 0x80, rssi: 0x40, rxTimestamp: 0x20 } as const;

/** Channel response and RF event codes (antdefines.h). */
export const ANT_RESPONSE_CODES: Readonly<Record<number, string>> = {
  0x00: 'RESPONSE_NO_ERROR',
  0x01: 'EVENT_RX_SEARCH_TIMEOUT',
  0x02: 'EVENT_RX_FAIL',
  0x03: 'EVENT_TX',
  0x04: 'EVENT_TRANSFER_RX_FAILED',
  0x05: 'EVENT_TRANSFER_TX_COMPLETED',
  0x06: 'EVENT_TRANSFER_TX_FAILED',
  0x07: 'EVENT_CHANNEL_CLOSED',
  0x08: 'EVENT_RX_FAIL_GO_TO_SEARCH',
  0x09: 'EVENT_CHANNEL_COLLISION',
  0x0a: 'EVENT_TRANSFER_TX_START',
  0x0f: 'EVENT_CHANNEL_ACTIVE',
  0x11: 'EVENT_TRANSFER_TX_NEXT_MESSAGE',
  0x15: 'CHANNEL_IN_WRONG_STATE',
  0x16: 'CHANNEL_NOT_OPENED',
  0x18: 'CHANNEL_ID_NOT_SET',
  0x19: 'CLOSE_ALL_CHANNELS',
  0x1f: 'TRANSFER_IN_PROGRESS',
  0x20: 'TRANSFER_SEQUENCE_NUMBER_ERROR',
  0x21: 'TRANSFER_IN_ERROR',
  0x22: 'TRANSFER_BUSY',
  0x26: 'INVALID_MESSAGE_CRC',
  0x27: 'MESSAGE_SIZE_EXCEEDS_LIMIT',
  0x28: 'INVALID_MESSAGE',
  0x29: 'INVALID_NETWORK_NUMBER',
  0x30: 'INVALID_LIST_ID',
  0x31: 'INVALID_SCAN_TX_CHANNEL',
  0x33: 'INVALID_PARAMETER_PROVIDED',
  0x34: 'EVENT_SERIAL_QUE_OVERFLOW',
  0x35: 'EVENT_QUE_OVERFLOW',
};

/** Startup-message reason bits (antdefines.h RESET_*); 0 alone means power-on reset. */
const RESET_REASONS: ReadonlyArray<[number, string]> = [
  [0x01, 'hardware-reset-line'],
  [0x02, 'watchdog'],
  [0x20, 'reset-command'],
  [0x40, 'synchronous-reset'],
  [0x80, 'suspend'],
];

const CHANNEL_STATES = ['unassigned', 'assigned', 'searching', 'tracking'] as const;

// ---------------------------------------------------------------------------------------------
// Builders (host → stick). Send each after the stick's 0x40 reply to the previous one; after a
// reset the stick answers with a startup message (0x6F) instead.

function byteArg(name: string, value: number, max = 0xff): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `${name} must be an integer 0–${max}, got ${value}`, { [name]: value });
  }
  return value;
}

export function antResetSystem(): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.resetSystem, [0]);
}

/**
 * Loads an 8-byte network key into a network slot. The key is always the caller's: the ANT+ key is
 * licensed to ANT+ adopters (thisisant.com), so Touchline reads it from configuration, never from code.
 */
export function antSetNetworkKey(network: number, key: Uint8Array): Uint8Array {
  if (key.length !== 8) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', `An ANT network key has 8 bytes, got ${key.length}`);
  }
  return encodeAntFrame(ANT_MESSAGE_ID.setNetworkKey, [byteArg('network', network), ...key]);
}

export function antAssignChannel(channel: number, channelType: number, network: number, extendedAssignment?: number): Uint8Array {
  const payload = [byteArg('channel', channel), byteArg('channelType', channelType), byteArg('network', network)];
  if (extendedAssignment !== undefined) payload.push(byteArg('extendedAssignment', extendedAssignment));
  return encodeAntFrame(ANT_MESSAGE_ID.assignChannel, payload);
}

export function antUnassignChannel(channel: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.unassignChannel, [byteArg('channel', channel)]);
}

export interface AntChannelId {
  /** 0 is the wildcard when searching. */
  deviceNumber: number;
  /** 7-bit device type (0x78 heart rate); 0 is the wildcard. */
  deviceType: number;
  /** The pairing bit, bit 7 of the device-type byte. */
  pairing: boolean;
  /** 0 is the wildcard. The high nibble extends the device number on some devices. */
  transmissionType: number;
}

export function antSetChannelId(channel: number, id: AntChannelId): Uint8Array {
  const deviceNumber = byteArg('deviceNumber', id.deviceNumber, 0xffff);
  const typeByte = byteArg('deviceType', id.deviceType, 0x7f) | (id.pairing ? 0x80 : 0);
  return encodeAntFrame(ANT_MESSAGE_ID.channelId, [
    byteArg('channel', channel),
    deviceNumber & 0xff,
    deviceNumber >> 8,
    typeByte,
    byteArg('transmissionType', id.transmissionType),
  ]);
}

/** Channel period in 1/32768 s: 8070 is the ANT+ heart-rate rate, 32768/8070 ≈ 4.06 Hz. */
export function antSetChannelPeriod(channel: number, period: number): Uint8Array {
  const value = byteArg('period', period, 0xffff);
  return encodeAntFrame(ANT_MESSAGE_ID.channelPeriod, [byteArg('channel', channel), value & 0xff, value >> 8]);
}

/** RF channel as an offset from 2400 MHz: ANT+ uses 57. */
export function antSetChannelRfFrequency(channel: number, frequency: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.rfFrequency, [byteArg('channel', channel), byteArg('frequency', frequency, 124)]);
}

/** Search timeout; 0xFF means never time out (openant, python-ant). */
export function antSetChannelSearchTimeout(channel: number, timeout: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.searchTimeout, [byteArg('channel', channel), byteArg('timeout', timeout)]);
}

/** Older sticks' switch for extended data: the device id is appended to every received data message. */
export function antEnableExtendedMessages(enabled: boolean): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.enableExtendedMessages, [0, enabled ? 1 : 0]);
}

/** Newer sticks' switch: any of ANT_LIB_CONFIG's flags, e.g. 0xE0 for device id + RSSI + timestamp. */
export function antSetLibConfig(flags: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.libConfig, [0, byteArg('flags', flags)]);
}

export function antOpenChannel(channel: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.openChannel, [byteArg('channel', channel)]);
}

export function antCloseChannel(channel: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.closeChannel, [byteArg('channel', channel)]);
}

/**
 * Continuous scan: channel 0 listens all the time and hears every device on the frequency, which is
 * how one stick covers a whole squad (a channel per strap would stop at the stick's 8 channels).
 * Needs channel 0 assigned as a slave and every other channel closed.
 */
export function antOpenRxScanMode(): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.openRxScanMode, [0]);
}

export function antRequestMessage(channel: number, messageId: number): Uint8Array {
  return encodeAntFrame(ANT_MESSAGE_ID.requestMessage, [byteArg('channel', channel), byteArg('messageId', messageId)]);
}

// ---------------------------------------------------------------------------------------------
// Decoding (stick → host, and host commands for inspecting captures).

export interface AntRssi {
  /** 0x20 = dBm; other types (0x10 AGC on nRF24AP2 sticks) are not a signal strength. */
  measurementType: number;
  dbm?: number;
  thresholdDbm?: number;
  /** The whole RSSI block as sent, 3 or 4 bytes depending on the chip. */
  raw: number[];
}

export interface AntExtendedData {
  channelId?: AntChannelId;
  rssi?: AntRssi;
  /** The stick's receive timestamp as sent, a rolling u16 (units not confirmed; commonly 1/32768 s). */
  rxTimestamp?: number;
}

export type AntTransfer = 'broadcast' | 'acknowledged' | 'burst';

export interface AntChannelData {
  kind: 'channel-data';
  transfer: AntTransfer;
  channel: number;
  /** Bits 5–7 of a burst packet's channel byte. */
  burstSequence?: number;
  /** The 8-byte ANT+ data page. */
  data: Uint8Array;
  extended?: AntExtendedData;
}

export interface AntChannelResponse {
  kind: 'channel-response';
  channel: number;
  /** The command answered, or 0x01 for an RF event. */
  messageId: number;
  messageName: string;
  event: boolean;
  code: number;
  codeName: string;
}

export interface AntCapabilities {
  kind: 'capabilities';
  maxChannels: number;
  maxNetworks: number;
  standardOptions: number;
  advancedOptions: number;
  advancedOptions2?: number;
  maxSensRcoreChannels?: number;
  advancedOptions3?: number;
  advancedOptions4?: number;
}

export type AntMessage =
  | AntChannelResponse
  | { kind: 'startup'; reason: number; reasons: string[] }
  | AntCapabilities
  | AntChannelData
  | ({ kind: 'channel-id'; channel: number } & AntChannelId)
  | { kind: 'channel-status'; channel: number; state: (typeof CHANNEL_STATES)[number]; status: number }
  | { kind: 'version'; version: string }
  | { kind: 'serial-number'; serialNumber: number }
  /** Host→stick commands, decoded so that captures of both directions can be read. */
  | { kind: 'command'; command: AntMessageName; params: Record<string, number | boolean | string> }
  | { kind: 'unknown'; id: number; payload: Uint8Array };

const TRANSFERS: Readonly<Record<number, AntTransfer>> = {
  [ANT_MESSAGE_ID.broadcastData]: 'broadcast',
  [ANT_MESSAGE_ID.acknowledgedData]: 'acknowledged',
  [ANT_MESSAGE_ID.burstData]: 'burst',
  [ANT_MESSAGE_ID.extendedBroadcastData]: 'broadcast',
  [ANT_MESSAGE_ID.extendedAcknowledgedData]: 'acknowledged',
  [ANT_MESSAGE_ID.extendedBurstData]: 'burst',
};

/**
 * Payload lengths of fixed-size messages; a frame of another length is malformed. Every host
 * command decodeCommand reads is listed here.
 */
const FIXED_LENGTHS: Readonly<Record<number, readonly number[]>> = {
  [ANT_MESSAGE_ID.channelResponse]: [3],
  [ANT_MESSAGE_ID.startup]: [1],
  [ANT_MESSAGE_ID.channelId]: [5],
  [ANT_MESSAGE_ID.channelStatus]: [2],
  [ANT_MESSAGE_ID.serialNumber]: [4],
  [ANT_MESSAGE_ID.extendedBroadcastData]: [13],
  [ANT_MESSAGE_ID.extendedAcknowledgedData]: [13],
  [ANT_MESSAGE_ID.extendedBurstData]: [13],
  [ANT_MESSAGE_ID.resetSystem]: [1],
  [ANT_MESSAGE_ID.setNetworkKey]: [9],
  [ANT_MESSAGE_ID.assignChannel]: [3, 4],
  [ANT_MESSAGE_ID.unassignChannel]: [1],
  [ANT_MESSAGE_ID.channelPeriod]: [3],
  [ANT_MESSAGE_ID.searchTimeout]: [2],
  [ANT_MESSAGE_ID.rfFrequency]: [2],
  [ANT_MESSAGE_ID.openChannel]: [1],
  [ANT_MESSAGE_ID.closeChannel]: [1],
  [ANT_MESSAGE_ID.requestMessage]: [2],
  [ANT_MESSAGE_ID.openRxScanMode]: [1, 2],
  [ANT_MESSAGE_ID.enableExtendedMessages]: [2],
  [ANT_MESSAGE_ID.libConfig]: [2],
};

/**
 * Payload lengths a stick can send to the host, for AntDeframer's `accept`: responses and events,
 * startup, capabilities (4–8 bytes by chip), data with up to the extended blocks decoded here
 * (9–20), legacy extended data, version string, serial number, status, channel id, serial error
 * and advanced burst (any length).
 */
const FROM_STICK: Readonly<Record<number, readonly [number, number]>> = {
  [ANT_MESSAGE_ID.channelResponse]: [3, 3],
  [ANT_MESSAGE_ID.startup]: [1, 1],
  [ANT_MESSAGE_ID.capabilities]: [4, 8],
  [ANT_MESSAGE_ID.broadcastData]: [9, 20],
  [ANT_MESSAGE_ID.acknowledgedData]: [9, 20],
  [ANT_MESSAGE_ID.burstData]: [9, 20],
  [ANT_MESSAGE_ID.extendedBroadcastData]: [13, 13],
  [ANT_MESSAGE_ID.extendedAcknowledgedData]: [13, 13],
  [ANT_MESSAGE_ID.extendedBurstData]: [13, 13],
  [ANT_MESSAGE_ID.version]: [1, 16],
  [ANT_MESSAGE_ID.serialNumber]: [4, 4],
  [ANT_MESSAGE_ID.channelStatus]: [2, 2],
  [ANT_MESSAGE_ID.channelId]: [5, 5],
  [ANT_MESSAGE_ID.serialError]: [1, 41],
  [ANT_MESSAGE_ID.advancedBurstData]: [1, 41],
};

export function isPlausibleStickMessage(id: number, payloadLength: number): boolean {
  const range = FROM_STICK[id];
  return range !== undefined && payloadLength >= range[0] && payloadLength <= range[1];
}

function frameError(frame: AntFrame, problem: string): TouchlineError {
  const hex = formatHex(frame.payload);
  return new TouchlineError('TL_ERR_ANT_FRAME', `ANT ${antMessageName(frame.id)} message ${problem}: payload ${hex}`, {
    id: frame.id,
    payload: hex,
  });
}

function readChannelId(cursor: ByteCursor): AntChannelId {
  const deviceNumber = cursor.u16('device number');
  const typeByte = cursor.u8('device type');
  return { deviceNumber, deviceType: typeByte & 0x7f, pairing: (typeByte & 0x80) !== 0, transmissionType: cursor.u8('transmission type') };
}

/**
 * Flagged extended data after the 8 data bytes: a flag byte, then in this order the channel id
 * (0x80, 4 bytes), RSSI (0x40) and RX timestamp (0x20, u16). The RSSI block is 3 bytes
 * (type 0x20, dBm, threshold) on most chips but 4 on nRF24AP2 sticks (type 0x10), so its size is
 * what the frame length leaves for it (thisisant.com forum viewthread/4280, viewreply/9437).
 */
function readExtendedData(frame: AntFrame, cursor: ByteCursor): AntExtendedData {
  const flags = cursor.u8('extended flags');
  const fixed = (flags & 0x80 ? 4 : 0) + (flags & 0x20 ? 2 : 0);
  const rssiSize = cursor.remaining - fixed;
  const rssiFits = flags & 0x40 ? rssiSize === 3 || rssiSize === 4 : rssiSize === 0;
  if (!rssiFits) {
    throw frameError(frame, `has ${cursor.remaining} extended bytes, which do not fit flags 0x${flags.toString(16).padStart(2, '0')}`);
  }
  const extended: AntExtendedData = {};
  if (flags & 0x80) extended.channelId = readChannelId(cursor);
  if (flags & 0x40) {
    const raw = Array.from(cursor.take('RSSI', rssiSize));
    const measurementType = raw[0] as number;
    extended.rssi = { measurementType, raw };
    if (measurementType === 0x20) {
      const signed = (b: number) => (b >= 0x80 ? b - 0x100 : b);
      extended.rssi.dbm = signed(raw[1] as number);
      extended.rssi.thresholdDbm = signed(raw[2] as number);
    }
  }
  if (flags & 0x20) extended.rxTimestamp = cursor.u16('RX timestamp');
  return extended;
}

function decodeChannelData(frame: AntFrame, transfer: AntTransfer, cursor: ByteCursor): AntChannelData {
  const legacyExtended = frame.id >= ANT_MESSAGE_ID.extendedBroadcastData && frame.id <= ANT_MESSAGE_ID.extendedBurstData;
  const channelByte = cursor.u8('channel');
  const message: AntChannelData = {
    kind: 'channel-data',
    transfer,
    channel: transfer === 'burst' ? channelByte & 0x1f : channelByte,
    data: new Uint8Array(0),
  };
  if (transfer === 'burst') message.burstSequence = channelByte >> 5;
  // Legacy extended messages (0x5D–0x5F) put the channel id before the data instead of after it.
  if (legacyExtended) message.extended = { channelId: readChannelId(cursor) };
  message.data = cursor.take('data page', 8);
  if (!legacyExtended && cursor.remaining > 0) message.extended = readExtendedData(frame, cursor);
  return message;
}

function decodeCommand(frame: AntFrame, name: AntMessageName, c: ByteCursor): AntMessage {
  const params: Record<string, number | boolean | string> = {};
  switch (frame.id) {
    case ANT_MESSAGE_ID.setNetworkKey:
      params.network = c.u8('network');
      params.key = formatHex(c.take('key', 8));
      break;
    case ANT_MESSAGE_ID.assignChannel:
      params.channel = c.u8('channel');
      params.channelType = c.u8('channel type');
      params.network = c.u8('network');
      if (c.remaining > 0) params.extendedAssignment = c.u8('extended assignment');
      break;
    case ANT_MESSAGE_ID.channelPeriod:
      params.channel = c.u8('channel');
      params.period = c.u16('period');
      break;
    case ANT_MESSAGE_ID.searchTimeout:
      params.channel = c.u8('channel');
      params.timeout = c.u8('timeout');
      break;
    case ANT_MESSAGE_ID.rfFrequency:
      params.channel = c.u8('channel');
      params.frequency = c.u8('frequency');
      break;
    case ANT_MESSAGE_ID.requestMessage:
      params.channel = c.u8('channel');
      params.messageId = c.u8('message id');
      params.messageName = antMessageName(params.messageId);
      break;
    case ANT_MESSAGE_ID.enableExtendedMessages:
      c.u8('filler');
      params.enabled = c.u8('enable') !== 0;
      break;
    case ANT_MESSAGE_ID.libConfig:
      c.u8('filler');
      params.flags = c.u8('flags');
      break;
    case ANT_MESSAGE_ID.unassignChannel:
    case ANT_MESSAGE_ID.openChannel:
    case ANT_MESSAGE_ID.closeChannel:
      params.channel = c.u8('channel');
      break;
    // resetSystem and openRxScanMode carry only filler.
  }
  return { kind: 'command', command: name, params };
}

/** Decodes one frame. Throws TL_ERR_ANT_FRAME when the payload does not fit its message id. */
export function decodeAntMessage(frame: AntFrame): AntMessage {
  const lengths = FIXED_LENGTHS[frame.id];
  if (lengths && !lengths.includes(frame.payload.length)) {
    throw frameError(frame, `should have ${lengths.join(' or ')} payload bytes, got ${frame.payload.length}`);
  }
  const c = new ByteCursor(frame.payload, (field) => frameError(frame, `is truncated before its ${field}`));
  const transfer = TRANSFERS[frame.id];
  if (transfer) return decodeChannelData(frame, transfer, c);
  switch (frame.id) {
    case ANT_MESSAGE_ID.channelResponse: {
      const channel = c.u8('channel');
      const messageId = c.u8('message id');
      const code = c.u8('code');
      const event = messageId === ANT_MESSAGE_ID.rfEvent;
      return {
        kind: 'channel-response',
        channel,
        messageId,
        messageName: antMessageName(messageId),
        event,
        code,
        codeName: ANT_RESPONSE_CODES[code] ?? `UNKNOWN_0x${code.toString(16).padStart(2, '0')}`,
      };
    }
    case ANT_MESSAGE_ID.startup: {
      const reason = c.u8('reason');
      const reasons = reason === 0 ? ['power-on'] : RESET_REASONS.filter(([bit]) => reason & bit).map(([, name]) => name);
      return { kind: 'startup', reason, reasons };
    }
    case ANT_MESSAGE_ID.capabilities: {
      // Base 4 bytes on every stick; later chips append more, so the reply length varies (7 and 8 both seen on an ANTUSB-m).
      const caps: AntCapabilities = {
        kind: 'capabilities',
        maxChannels: c.u8('max channels'),
        maxNetworks: c.u8('max networks'),
        standardOptions: c.u8('standard options'),
        advancedOptions: c.u8('advanced options'),
      };
      if (c.remaining > 0) caps.advancedOptions2 = c.u8('advanced options 2');
      if (c.remaining > 0) caps.maxSensRcoreChannels = c.u8('max SensRcore channels');
      if (c.remaining > 0) caps.advancedOptions3 = c.u8('advanced options 3');
      if (c.remaining > 0) caps.advancedOptions4 = c.u8('advanced options 4');
      return caps;
    }
    case ANT_MESSAGE_ID.channelId: {
      const channel = c.u8('channel');
      return { kind: 'channel-id', channel, ...readChannelId(c) };
    }
    case ANT_MESSAGE_ID.channelStatus: {
      const channel = c.u8('channel');
      const status = c.u8('status');
      return { kind: 'channel-status', channel, status, state: CHANNEL_STATES[status & 0x03] as (typeof CHANNEL_STATES)[number] };
    }
    case ANT_MESSAGE_ID.version: {
      const text = new TextDecoder('latin1').decode(frame.payload);
      return { kind: 'version', version: text.replace(/\0.*$/s, '') };
    }
    case ANT_MESSAGE_ID.serialNumber:
      return { kind: 'serial-number', serialNumber: c.u32('serial number') };
  }
  const name = MESSAGE_NAMES.get(frame.id);
  if (name && FIXED_LENGTHS[frame.id]) return decodeCommand(frame, name, c);
  return { kind: 'unknown', id: frame.id, payload: frame.payload };
}
