/**
 * An emulated ANT USB stick behind a MemorySerialLink: it answers the set-up commands the way the
 * public logs in the reference notes show (startup 6F 20 after reset, a 0x40 channel response per
 * command, the ANTUSB-m capabilities reply whose checksum is 0xA4), and can misbehave on request:
 * drop a reply, refuse a command, split or pad its USB reads.
 */
import { ANT_MESSAGE_ID, decodeAntFrames, encodeAntFrame, parseHex } from '@touchline/core';
import { MemorySerialLink } from './memory-serial.ts';

/** python-ant issue #25, a Dynastream ANTUSB-m. */
export const CAPABILITIES_REPLY = parseHex('A4 07 54 08 08 00 BA 36 00 DF A4');
/** jdeerhake gist: startup message, reason 0x20 (reset command). */
export const STARTUP_REPLY = parseHex('A4 01 6F 20 EA');

/**
 * Host→stick frames of the set-up, each taken from reference/protocols.md §2.4 (checksums verified
 * there): reset, request capabilities, network key 0 (jdeerhake gist, CS EB), assign ch0 slave,
 * channel id wildcard HR, period 8070, RF 57, lib config 0xE0. The open-scan frame A4 01 5B 00 FE is
 * not in the notes; its checksum was computed by hand: A4 ^ 01 ^ 5B ^ 00 = FE.
 */
export const SETUP_FRAMES = [
  'A4 01 4A 00 EF',
  'A4 02 4D 00 54 BF',
  'A4 09 46 00 00 00 00 00 00 00 00 00 EB',
  'A4 03 42 00 00 00 E5',
  'A4 05 51 00 00 00 78 00 88',
  'A4 03 43 00 86 1F 7D',
  'A4 02 45 00 39 DA',
  'A4 02 6E 00 E0 28',
  'A4 01 5B 00 FE',
];

export type ReadShape = 'whole' | 'bytewise' | 'padded';

export interface FakeAntStickOptions {
  /** Commands (by message id) whose reply is swallowed this many times. */
  dropReplies?: Map<number, number>;
  /** Commands refused with this response code. */
  refuse?: Map<number, number>;
  /** Stays silent after a reset, as some sticks do. */
  silentReset?: boolean;
  /** Never answers anything. */
  dead?: boolean;
  shape?: ReadShape;
}

export class FakeAntStick {
  readonly link: MemorySerialLink;
  readonly options: FakeAntStickOptions;
  /** Every command received, as message ids. */
  readonly received: number[] = [];

  constructor(path = '/dev/ttyUSB-ant0', options: FakeAntStickOptions = {}) {
    this.options = options;
    this.link = new MemorySerialLink(path);
    this.link.onWrite = (bytes) => this.#hear(bytes);
  }

  /** Sends bytes as the stick would, in the configured read shape. */
  send(bytes: Uint8Array): void {
    switch (this.options.shape ?? 'whole') {
      case 'whole':
        this.link.emit(bytes);
        return;
      case 'bytewise':
        for (const byte of bytes) this.link.emit(Uint8Array.of(byte));
        return;
      case 'padded': {
        // USB sticks pad reads to the packet size with zeros.
        const padded = new Uint8Array(bytes.length + 2);
        padded.set(bytes);
        this.link.emit(padded);
      }
    }
  }

  #hear(bytes: Uint8Array): void {
    if (this.options.dead) return;
    for (const frame of decodeAntFrames(bytes)) {
      this.received.push(frame.id);
      const drops = this.options.dropReplies?.get(frame.id) ?? 0;
      if (drops > 0) {
        this.options.dropReplies!.set(frame.id, drops - 1);
        continue;
      }
      if (frame.id === ANT_MESSAGE_ID.resetSystem) {
        if (!this.options.silentReset) this.send(STARTUP_REPLY);
      } else if (frame.id === ANT_MESSAGE_ID.requestMessage && frame.payload[1] === ANT_MESSAGE_ID.capabilities) {
        this.send(CAPABILITIES_REPLY);
      } else {
        const code = this.options.refuse?.get(frame.id) ?? 0;
        this.send(encodeAntFrame(ANT_MESSAGE_ID.channelResponse, [0, frame.id, code]));
      }
    }
  }
}

/**
 * Real captured HRM broadcasts (openant debug log, Garmin strap; thisisant.com forum viewthread/7385,
 * quoted in reference/protocols.md §2.7): device 25170, type 0x78, transmission type 0x71.
 */
export const GARMIN_HRM_CAPTURE = [
  'a4 0e 4e 02 84 ff a5 e2 a5 e6 ca 3c 80 52 62 78 71 d6',
  'a4 0e 4e 02 04 ff a5 e6 a5 ea cb 3c 80 52 62 78 71 5f',
  'a4 0e 4e 02 84 ff a5 ea a5 ee cc 3c 80 52 62 78 71 d0',
  'a4 0e 4e 02 04 ff a5 ee a5 f2 cd 3c 80 52 62 78 71 49',
  'a4 03 40 02 01 09 ed',
  'a4 0e 4e 02 84 ff b6 fa c7 fe d0 3b 80 52 62 78 71 ba',
  'a4 0e 4e 02 04 ff c7 fe d8 02 d1 3b 80 52 62 78 71 ad',
  'a4 0e 4e 02 84 ff d8 02 e9 06 d2 3b 80 52 62 78 71 f8',
  'a4 0e 4e 02 04 ff e9 06 fa 0a d3 3b 80 52 62 78 71 53',
].map(parseHex);

/** Sensor id the bridge gives that strap: device number, type and transmission type. */
export const GARMIN_HRM_SENSOR_ID = 'ant-25170:120:113';
