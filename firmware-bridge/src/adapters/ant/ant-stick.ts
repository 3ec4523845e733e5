/**
 * One ANT USB stick, owned by one coordinator: it resets the stick, loads the network key and sets
 * channel 0 up for ANT+ heart rate in continuous scan mode (so a single stick hears every strap in
 * range), waiting for the stick's answer to each command with a timeout and retries, then routes
 * every received frame through core's deframer, message decoder and heart-rate receiver.
 *
 * Sequence (ANT Message Protocol D00000652; order as openant `open_channel` and Loghorn `attach`):
 * reset → (startup) → request capabilities → network key → assign channel → channel id → period
 * 8070 → RF 57 → lib config 0xE0 (device id + RSSI + timestamp; sticks that refuse it get the older
 * enable-extended-messages 0x66) → open RX scan mode.
 */
import {
  ANT_MESSAGE_ID,
  AntDeframer,
  AntHeartRateReceiver,
  TouchlineError,
  antEnableExtendedMessages,
  antHeartRateSetup,
  antMessageName,
  antRequestMessage,
  decodeAntMessage,
  isPlausibleStickMessage,
  isTouchlineError,
  type AntCapabilities,
  type AntHeartRateEvent,
  type AntMessage,
} from '@touchline/core/metrics';
import type { SerialLink } from '../../serial/serial-port.ts';

export type AntStickState = 'configuring' | 'scanning' | 'failed' | 'closed';

export interface AntStickOptions {
  link: SerialLink;
  networkKey: Uint8Array;
  now: () => number;
  onHeartRate: (event: AntHeartRateEvent, rssiDbm: number | undefined) => void;
  /** The stick failed or went away; the owner closes it and tries again later. */
  onFailure: (problem: string) => void;
  replyTimeoutMs?: number;
  retries?: number;
}

export interface AntStickCounters {
  corruptFrames: number;
  discardedBytes: number;
  paddingBytes: number;
  /** Frames whose payload does not fit their message id. */
  badMessages: number;
  /** RF events such as EVENT_RX_FAIL: normal on a busy frequency, alarming when they climb fast. */
  rfEvents: number;
  serialErrors: number;
  commandRetries: number;
  /** Data messages without a device id (extended data off), which scan mode cannot attribute. */
  unattributed: number;
}

/** How long a stick may take to answer a command; a reset takes longest (~0.5 s on USB1 sticks). */
const REPLY_TIMEOUT_MS = 1000;
const RETRIES = 3;
const CHANNEL_CLOSED = 0x07;

interface Waiter {
  matches: (message: AntMessage) => boolean;
  /** Undefined when the stick failed while the command waited. */
  resolve: (message: AntMessage | undefined) => void;
}

export class AntStick {
  state: AntStickState = 'configuring';
  problem: string | undefined;
  capabilities: AntCapabilities | undefined;
  readonly counters: AntStickCounters = {
    corruptFrames: 0,
    discardedBytes: 0,
    paddingBytes: 0,
    badMessages: 0,
    rfEvents: 0,
    serialErrors: 0,
    commandRetries: 0,
    unattributed: 0,
  };
  /** Commands written, in order, for diagnostics. */
  readonly sent: string[] = [];
  readonly #options: AntStickOptions;
  readonly #deframer = new AntDeframer({ accept: isPlausibleStickMessage });
  readonly #receiver = new AntHeartRateReceiver();
  #waiter: Waiter | undefined;
  #setup: Promise<void> | undefined;

  constructor(options: AntStickOptions) {
    this.#options = options;
    options.link.onData((chunk) => this.#onData(chunk));
    options.link.onClose((reason) => this.#fail(`${options.link.path} went away: ${reason}`));
  }

  get path(): string {
    return this.#options.link.path;
  }

  /** Runs the setup sequence; resolves when the stick is scanning, rejects with TL_ERR_ANT_SETUP. */
  start(): Promise<void> {
    this.#setup ??= this.#configure().finally(() => {
      this.#setup = undefined;
    });
    return this.#setup;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.#waiter = undefined;
    await this.#options.link.close();
  }

  deframerStats() {
    return this.#deframer.stats;
  }

  async #configure(): Promise<void> {
    this.state = 'configuring';
    this.#deframer.reset();
    const [reset, ...commands] = antHeartRateSetup({ networkKey: this.#options.networkKey, mode: 'scan', extendedData: 'lib-config' });
    // Some sticks answer a reset with a startup message, some stay silent; either way it takes effect.
    await this.#command(reset!, (m) => m.kind === 'startup', { optional: true });
    const capabilities = await this.#command(antRequestMessage(0, ANT_MESSAGE_ID.capabilities), (m) => m.kind === 'capabilities', { optional: true });
    if (capabilities?.kind === 'capabilities') this.capabilities = capabilities;
    for (const frame of commands) {
      const id = frame[2]!;
      const reply = await this.#command(frame, (m) => m.kind === 'channel-response' && !m.event && m.messageId === id);
      if (reply?.kind !== 'channel-response' || reply.code === 0) continue;
      if (id === ANT_MESSAGE_ID.libConfig) {
        // Older sticks (nRF24AP2) only know the legacy switch for extended data.
        const legacy = antEnableExtendedMessages(true);
        const fallback = await this.#command(legacy, (m) => m.kind === 'channel-response' && !m.event && m.messageId === ANT_MESSAGE_ID.enableExtendedMessages);
        if (fallback?.kind === 'channel-response' && fallback.code === 0) continue;
      }
      throw this.#setupError(`the stick refused ${antMessageName(id)} with ${reply.codeName}`);
    }
    // close() may have run while the last reply was awaited.
    if ((this.state as AntStickState) === 'closed') return;
    this.state = 'scanning';
    this.problem = undefined;
  }

  /** Writes one command and waits for its reply, resending after each timeout. */
  async #command(frame: Uint8Array, matches: (m: AntMessage) => boolean, { optional = false } = {}): Promise<AntMessage | undefined> {
    const attempts = optional ? 1 : (this.#options.retries ?? RETRIES) + 1;
    const name = antMessageName(frame[2]!);
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (this.state === 'closed' || this.state === 'failed') throw this.#setupError(this.problem ?? 'the stick was closed during setup');
      if (attempt > 0) this.counters.commandRetries++;
      const reply = new Promise<AntMessage | undefined>((resolve) => {
        const timer = setTimeout(() => {
          if (this.#waiter === waiter) this.#waiter = undefined;
          resolve(undefined);
        }, this.#options.replyTimeoutMs ?? REPLY_TIMEOUT_MS);
        const waiter: Waiter = {
          matches,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
        };
        this.#waiter = waiter;
      });
      this.sent.push(name);
      try {
        await this.#options.link.write(frame);
      } catch (err) {
        throw this.#setupError(`cannot write to ${this.path}: ${(err as Error).message}`);
      }
      const message = await reply;
      if (message) return message;
    }
    if (optional) return undefined;
    throw this.#setupError(`no answer to ${name} after ${attempts} attempts`);
  }

  #setupError(problem: string): TouchlineError {
    return new TouchlineError('TL_ERR_ANT_SETUP', `ANT stick ${this.path}: ${problem}`, { path: this.path });
  }

  #onData(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    const frames = this.#deframer.push(chunk);
    const stats = this.#deframer.stats;
    this.counters.corruptFrames = stats.corruptFrames;
    this.counters.discardedBytes = stats.discardedBytes;
    this.counters.paddingBytes = stats.paddingBytes;
    for (const frame of frames) {
      let message: AntMessage;
      try {
        message = decodeAntMessage(frame);
      } catch (err) {
        if (!isTouchlineError(err)) throw err;
        this.counters.badMessages++;
        continue;
      }
      const waiter = this.#waiter;
      if (waiter?.matches(message)) {
        this.#waiter = undefined;
        waiter.resolve(message);
        continue;
      }
      this.#handle(message);
    }
  }

  #handle(message: AntMessage): void {
    switch (message.kind) {
      case 'channel-data': {
        if (this.state !== 'scanning') return;
        const event = this.#receiver.handle(message, this.#options.now());
        if (!event) return;
        if (!event.channelId) {
          this.counters.unattributed++;
          return;
        }
        this.#options.onHeartRate(event, message.extended?.rssi?.dbm);
        return;
      }
      case 'channel-response':
        if (!message.event) return;
        this.counters.rfEvents++;
        // The stick closed the scan channel (or reset itself): set it up again.
        if (message.code === CHANNEL_CLOSED && this.state === 'scanning') this.#reconfigure('the stick closed its scan channel');
        return;
      case 'startup':
        if (this.state === 'scanning') this.#reconfigure('the stick reset itself');
        return;
      case 'unknown':
        if (message.id === ANT_MESSAGE_ID.serialError) this.counters.serialErrors++;
        return;
      default:
        return;
    }
  }

  #reconfigure(reason: string): void {
    this.problem = reason;
    this.start().catch((err: Error) => this.#fail(err.message));
  }

  #fail(problem: string): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'failed';
    this.problem = problem;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(undefined);
    this.#options.onFailure(problem);
  }
}
