/**
 * One MQTT connection to the hub that keeps trying: a fresh mqtt.js client per attempt, retried
 * with capped, jittered backoff. A fresh client per attempt (rather than mqtt.js's own reconnect,
 * which resends its in-memory store) leaves the outbox as the only owner of what is resent, so a
 * reading is never sent twice by two layers.
 */
import { connect, type IClientPublishOptions, type MqttClient } from 'mqtt';

export interface HubEndpoint {
  url: string;
  username?: string;
  password?: string;
}

export interface MqttConnectionOptions extends HubEndpoint {
  clientId: string;
  /** Published by the hub if this connection drops without a goodbye. */
  will?: { topic: string; payload: string; retain: boolean };
  onConnect?: () => void;
  onDisconnect?: () => void;
}

export type ConnectionState = 'connecting' | 'connected' | 'waiting' | 'closed';

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;

/** The URL without credentials, for messages. */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

export class MqttConnection {
  state: ConnectionState = 'connecting';
  /** Why the last attempt failed, e.g. "connect ECONNREFUSED" or "Connection refused: Not authorized". */
  lastError: string | undefined;
  connects = 0;
  readonly #options: MqttConnectionOptions;
  #client: MqttClient | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;

  constructor(options: MqttConnectionOptions) {
    this.#options = options;
    this.#attempt();
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /**
   * Publishes on the current connection; false when there is none. `done` runs once, with an error
   * if the broker did not acknowledge, and never for a connection that has since dropped (the
   * outbox has already taken those messages back by then).
   */
  publish(topic: string, payload: string, options: IClientPublishOptions, done?: (err?: Error) => void): boolean {
    const client = this.#client;
    if (!client || this.state !== 'connected') return false;
    client.publish(topic, payload, options, (err) => {
      if (client === this.#client) done?.(err ?? undefined);
    });
    return true;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    if (wasConnected) this.#options.onDisconnect?.();
    if (!client) return;
    // A goodbye (DISCONNECT) so the hub does not publish the will; forced if it does not go out quickly.
    const graceful = client.endAsync(false).then(() => 'ended' as const);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
    if ((await Promise.race([graceful, timeout])) === 'timeout') await client.endAsync(true);
  }

  #attempt(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const { url, username, password, clientId, will } = this.#options;
    const client = connect(url, {
      clientId,
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(will ? { will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1 as const, retain: will.retain } } : {}),
    });
    this.#client = client;
    client.on('connect', () => {
      if (client !== this.#client) return;
      this.state = 'connected';
      this.lastError = undefined;
      this.#failures = 0;
      this.connects++;
      this.#options.onConnect?.();
    });
    client.on('error', (err) => {
      if (client === this.#client) this.lastError = err.message;
    });
    client.on('close', () => {
      if (client !== this.#client) return;
      const wasConnected = this.state === 'connected';
      this.#client = undefined;
      this.state = 'waiting';
      if (wasConnected) {
        this.lastError ??= 'connection to the hub closed';
        this.#options.onDisconnect?.();
      }
      client.end(true);
      const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.#failures++);
      this.#retryTimer = setTimeout(() => this.#attempt(), delay * (0.5 + Math.random() / 2));
      this.#retryTimer.unref();
    });
  }
}
