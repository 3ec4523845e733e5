/**
 * ANT+ heart-rate profile (device type 0x78). The normative text is the adopter-only
 * "ANT+ Device Profile – Heart Rate Monitor" (Dynastream D00000693); this follows the layout that
 * three independent decoders agree on (openant `devices/heart_rate.py`, Loghorn/ant-plus
 * `src/heart-rate-sensors.ts`, GoldenCheetah `src/ANT/ANTMessage.cpp`) and Nordic's nRF5 SDK
 * `ant_hrm_page*_data_t`:
 *
 *   byte 0   bit 7 page-change toggle, bits 0–6 page number
 *   1–3      page specific
 *   4–5      heart beat event time, u16 LE, 1/1024 s (rolls over every 64 s)
 *   6        heart beat count, u8 (rolls over)
 *   7        computed heart rate, bpm
 */
import { TouchlineError } from '../errors.ts';
import {
  ANT_CHANNEL_TYPE,
  ANT_LIB_CONFIG,
  antAssignChannel,
  antEnableExtendedMessages,
  antOpenChannel,
  antOpenRxScanMode,
  antResetSystem,
  antSetChannelId,
  antSetChannelPeriod,
  antSetChannelRfFrequency,
  antSetChannelSearchTimeout,
  antSetLibConfig,
  antSetNetworkKey,
  type AntChannelId,
  type AntMessage,
} from './ant-messages.ts';
import { rrTicksToMs } from './ble-heart-rate.ts';
import { formatHex } from './hex.ts';

/** Channel parameters of the heart-rate profile: period 8070/32768 s (≈ 4.06 Hz) on 2457 MHz. */
export const ANT_PLUS_HEART_RATE = { deviceType: 0x78, channelPeriod: 8070, rfFrequency: 57 } as const;

/** Page 7 bits 4–6, as in the ANT+ common battery status: 0 and 6 are reserved. */
export type AntBatteryStatus = 'new' | 'good' | 'ok' | 'low' | 'critical' | 'invalid' | 'reserved';
const BATTERY_STATUS: readonly AntBatteryStatus[] = ['reserved', 'new', 'good', 'ok', 'low', 'critical', 'reserved', 'invalid'];

export type AntHrmPageContent =
  | { page: 'default' }
  | { page: 'operating-time'; cumulativeOperatingTimeS: number }
  | { page: 'manufacturer'; manufacturerId: number; serialNumberHigh: number }
  | { page: 'product'; hardwareVersion: number; softwareVersion: number; modelNumber: number }
  | { page: 'previous-beat'; manufacturerSpecific: number; previousBeatTime: number }
  | { page: 'interval-heart-rate'; intervalAverageBpm: number; intervalMaxBpm: number; sessionAverageBpm: number }
  | { page: 'features'; featuresSupported: number; featuresEnabled: number }
  | { page: 'battery'; levelPct?: number; voltageV?: number; status: AntBatteryStatus }
  | { page: 'unknown' };

export interface AntHrmPage {
  pageNumber: number;
  toggle: boolean;
  /** Time of the last heart beat in 1/1024 s ticks. */
  beatTime: number;
  beatCount: number;
  bpm: number;
  content: AntHrmPageContent;
}

function pageContent(pageNumber: number, b1: number, b2: number, b3: number): AntHrmPageContent {
  const u16 = b2 | (b3 << 8);
  switch (pageNumber) {
    case 0:
      return { page: 'default' };
    case 1:
      return { page: 'operating-time', cumulativeOperatingTimeS: (b1 | (u16 << 8)) * 2 };
    case 2:
      // The serial number's lower 16 bits are the device number of the channel id.
      return { page: 'manufacturer', manufacturerId: b1, serialNumberHigh: u16 };
    case 3:
      return { page: 'product', hardwareVersion: b1, softwareVersion: b2, modelNumber: b3 };
    case 4:
      return { page: 'previous-beat', manufacturerSpecific: b1, previousBeatTime: u16 };
    case 5:
      return { page: 'interval-heart-rate', intervalAverageBpm: b1, intervalMaxBpm: b2, sessionAverageBpm: b3 };
    case 6:
      return { page: 'features', featuresSupported: b2, featuresEnabled: b3 };
    case 7: {
      // Level 0xFF = not reported, 0x65–0xFE reserved; coarse voltage 0xF = invalid.
      const content: AntHrmPageContent = { page: 'battery', status: BATTERY_STATUS[(b3 >> 4) & 0x07] as AntBatteryStatus };
      if (b1 <= 100) content.levelPct = b1;
      if ((b3 & 0x0f) !== 0x0f) content.voltageV = (b3 & 0x0f) + b2 / 256;
      return content;
    }
    default:
      return { page: 'unknown' };
  }
}

/**
 * Decodes one 8-byte page as if the strap sends paged data. Bytes 4–7 are valid from every strap;
 * `content` only once the toggle has been seen to change (legacy straps send no page number) —
 * AntHeartRateDecoder enforces that.
 */
export function decodeAntHrmPage(data: Uint8Array): AntHrmPage {
  if (data.length !== 8) {
    throw new TouchlineError('TL_ERR_ANT_PAGE', `An ANT+ heart-rate page has 8 bytes, got ${data.length}: ${formatHex(data) || '(empty)'}`, {
      bytes: formatHex(data),
    });
  }
  const [b0, b1, b2, b3, b4, b5, b6, b7] = data as unknown as [number, number, number, number, number, number, number, number];
  const pageNumber = b0 & 0x7f;
  return {
    pageNumber,
    toggle: (b0 & 0x80) !== 0,
    beatTime: b4 | (b5 << 8),
    beatCount: b6,
    bpm: b7,
    content: pageContent(pageNumber, b1, b2, b3),
  };
}

export interface AntHeartRateReading {
  bpm: number;
  beatCount: number;
  beatTime: number;
  /** Beats since the previous message; 0 when the strap repeated the same beat. */
  newBeats: number;
  /** Beats between the two messages that were not seen one by one, so their intervals are lost. */
  missedBeats: number;
  /** Beat-to-beat intervals in ms (raw × 1000/1024), oldest first. */
  rr: number[];
  /** The same intervals in 1/1024 s ticks. */
  rrRaw: number[];
  /** Page-specific data, present once the strap has shown it sends pages. */
  page?: AntHrmPageContent;
}

export interface AntHrmDeviceInfo {
  manufacturerId?: number;
  serialNumberHigh?: number;
  hardwareVersion?: number;
  softwareVersion?: number;
  modelNumber?: number;
  cumulativeOperatingTimeS?: number;
  battery?: { levelPct?: number; voltageV?: number; status: AntBatteryStatus };
}

/**
 * Beat time rolls over every 64 s and beat count every 256 beats (≥ 64 s below 240 bpm), so after a
 * silence this long neither difference can be trusted and the decoder starts afresh.
 */
export const ANT_HRM_MAX_GAP_MS = 60_000;

/**
 * One strap's stream of pages → heart rate, RR intervals and device info; O(1) per message.
 *
 * RR rule (derived from the field definitions above, not quoted from the adopter-only profile): when the
 * beat count rises by exactly 1, RR = (beatTime − previous beatTime) mod 2^16; when it jumps by more,
 * the intermediate intervals are lost and only page 4's previous-beat time still gives the last one;
 * an unchanged count is a repeat of the same beat and yields nothing. Page bytes 1–3 are trusted only
 * after the toggle bit has been seen both ways ("receiver may not interpret bytes 0-3 until it has
 * seen this bit set to both a 0 and a 1", thisisant.com forum viewreply/4141).
 *
 * Pass receive times to detect long gaps; without them, call reset() when the channel drops to search.
 */
export class AntHeartRateDecoder {
  readonly info: AntHrmDeviceInfo = {};
  #last: { beatTime: number; beatCount: number; receivedAtMs: number | undefined } | undefined;
  #lastToggle: boolean | undefined;
  #paged = false;

  /** True once the strap has proven it sends data pages (its toggle bit changed). */
  get paged(): boolean {
    return this.#paged;
  }

  reset(): void {
    this.#last = undefined;
  }

  push(data: Uint8Array, receivedAtMs?: number): AntHeartRateReading {
    const page = decodeAntHrmPage(data);
    if (this.#lastToggle !== undefined && page.toggle !== this.#lastToggle) this.#paged = true;
    this.#lastToggle = page.toggle;

    const reading: AntHeartRateReading = {
      bpm: page.bpm,
      beatCount: page.beatCount,
      beatTime: page.beatTime,
      newBeats: 0,
      missedBeats: 0,
      rr: [],
      rrRaw: [],
    };
    if (this.#paged) {
      reading.page = page.content;
      this.#remember(page.content);
    }

    const last = this.#last;
    const gap = last?.receivedAtMs !== undefined && receivedAtMs !== undefined ? receivedAtMs - last.receivedAtMs : 0;
    if (last && gap >= 0 && gap <= ANT_HRM_MAX_GAP_MS) {
      reading.newBeats = (page.beatCount - last.beatCount) & 0xff;
      if (reading.newBeats > 0) {
        reading.missedBeats = reading.newBeats - 1;
        const sinceLast = (page.beatTime - last.beatTime) & 0xffff;
        if (reading.newBeats === 1 && sinceLast > 0) {
          reading.rrRaw.push(sinceLast);
        } else if (reading.page?.page === 'previous-beat') {
          const lastInterval = (page.beatTime - reading.page.previousBeatTime) & 0xffff;
          if (lastInterval > 0) reading.rrRaw.push(lastInterval);
        }
        reading.rr = reading.rrRaw.map(rrTicksToMs);
      }
    }
    this.#last = { beatTime: page.beatTime, beatCount: page.beatCount, receivedAtMs };
    return reading;
  }

  #remember(content: AntHrmPageContent): void {
    switch (content.page) {
      case 'operating-time':
        this.info.cumulativeOperatingTimeS = content.cumulativeOperatingTimeS;
        break;
      case 'manufacturer':
        this.info.manufacturerId = content.manufacturerId;
        this.info.serialNumberHigh = content.serialNumberHigh;
        break;
      case 'product':
        this.info.hardwareVersion = content.hardwareVersion;
        this.info.softwareVersion = content.softwareVersion;
        this.info.modelNumber = content.modelNumber;
        break;
      case 'battery': {
        const { page: _page, ...battery } = content;
        this.info.battery = battery;
        break;
      }
    }
  }
}

/** The identity of an ANT sensor: device number, type and transmission type together. */
export function antDeviceKey(id: AntChannelId): string {
  return `${id.deviceNumber}:${id.deviceType}:${id.transmissionType}`;
}

export interface AntHeartRateEvent {
  /** antDeviceKey of the strap, or `channel:N` when the stick sends no channel id. */
  deviceKey: string;
  channelId?: AntChannelId;
  reading: AntHeartRateReading;
}

/**
 * Routes the data messages of one stick to a decoder per strap — what a scan-mode receiver needs,
 * where every strap in range arrives on channel 0 told apart only by its extended channel id.
 * Holds at most `maxDevices` decoders, forgetting the one heard least recently.
 */
export class AntHeartRateReceiver {
  readonly maxDevices: number;
  readonly #decoders = new Map<string, AntHeartRateDecoder>();

  constructor(maxDevices = 64) {
    this.maxDevices = maxDevices;
  }

  /** Returns a reading for heart-rate data messages and undefined for anything else. */
  handle(message: AntMessage, receivedAtMs?: number): AntHeartRateEvent | undefined {
    if (message.kind !== 'channel-data') return undefined;
    const channelId = message.extended?.channelId;
    if (channelId && channelId.deviceType !== ANT_PLUS_HEART_RATE.deviceType) return undefined;
    const deviceKey = channelId ? antDeviceKey(channelId) : `channel:${message.channel}`;
    let decoder = this.#decoders.get(deviceKey);
    if (decoder) {
      this.#decoders.delete(deviceKey); // re-inserted below, so Map order is least recently heard first
    } else {
      decoder = new AntHeartRateDecoder();
      if (this.#decoders.size >= this.maxDevices) {
        const oldest = this.#decoders.keys().next().value;
        if (oldest !== undefined) this.#decoders.delete(oldest);
      }
    }
    this.#decoders.set(deviceKey, decoder);
    const event: AntHeartRateEvent = { deviceKey, reading: decoder.push(message.data, receivedAtMs) };
    if (channelId) event.channelId = channelId;
    return event;
  }

  decoder(deviceKey: string): AntHeartRateDecoder | undefined {
    return this.#decoders.get(deviceKey);
  }

  get deviceCount(): number {
    return this.#decoders.size;
  }
}

export interface AntHeartRateSetupOptions {
  /** The 8-byte network key, from configuration (see antSetNetworkKey). */
  networkKey: Uint8Array;
  network?: number;
  /**
   * `scan` (default): continuous scan on channel 0, every strap in range. `channel`: one channel
   * searching for `device` (wildcards by default).
   */
  mode?: 'scan' | 'channel';
  channel?: number;
  device?: { deviceNumber: number; transmissionType: number };
  /**
   * How to ask for the device id on each message: `lib-config` (0x6E, flags 0xE0: id, RSSI,
   * timestamp) on current sticks, or `enable-extended` (0x66) on older ones.
   */
  extendedData?: 'lib-config' | 'enable-extended';
}

/**
 * The command frames that set a stick up to receive ANT+ heart rate, in order: reset, network key,
 * assign, channel id, period, RF frequency, extended data, then open (order as openant's
 * `open_channel` and Loghorn's `attach`). Send each after the reply to the previous one.
 */
export function antHeartRateSetup(options: AntHeartRateSetupOptions): Uint8Array[] {
  const network = options.network ?? 0;
  const mode = options.mode ?? 'scan';
  // Scan mode always runs on channel 0.
  const channel = mode === 'scan' ? 0 : (options.channel ?? 0);
  const device = options.device ?? { deviceNumber: 0, transmissionType: 0 };
  const frames = [
    antResetSystem(),
    antSetNetworkKey(network, options.networkKey),
    antAssignChannel(channel, ANT_CHANNEL_TYPE.bidirectionalSlave, network),
    antSetChannelId(channel, { ...device, deviceType: ANT_PLUS_HEART_RATE.deviceType, pairing: false }),
    antSetChannelPeriod(channel, ANT_PLUS_HEART_RATE.channelPeriod),
    antSetChannelRfFrequency(channel, ANT_PLUS_HEART_RATE.rfFrequency),
  ];
  // A strap put on late must still be found, so a single channel never stops searching.
  if (mode === 'channel') frames.push(antSetChannelSearchTimeout(channel, 0xff));
  frames.push(
    options.extendedData === 'enable-extended'
      ? antEnableExtendedMessages(true)
      : antSetLibConfig(ANT_LIB_CONFIG.deviceId | ANT_LIB_CONFIG.rssi | ANT_LIB_CONFIG.rxTimestamp),
  );
  frames.push(mode === 'scan' ? antOpenRxScanMode() : antOpenChannel(channel));
  return frames;
}
