/**
 * The latest status of every firmware bridge, as each publishes it on
 * touchline/v1/bridges/{bridgeId}/status, for the health page. Validated against the one schema,
 * kept in memory (bridges republish every few seconds, so a hub restart loses nothing), bounded.
 */
import { Compile } from 'typebox/compile';
import { BridgeStatus, type BridgeEntry } from '../schemas/bridge.schema.ts';
import { compareCodeUnits } from './code-unit-order.ts';

const BRIDGE_STATUS_TOPIC = /^touchline\/v1\/bridges\/([A-Za-z0-9_.:-]{1,64})\/status$/;
/** Bridges publish every 5 s; three missed statuses mark one offline. */
export const BRIDGE_ONLINE_WITHIN_MS = 15_000;
const MAX_BRIDGES = 32;
const MAX_STATUS_BYTES = 256 * 1024;

const checker = Compile(BridgeStatus);

/** The bridge id of a status topic, undefined for any other topic. */
export function bridgeIdOfTopic(topic: string): string | undefined {
  return BRIDGE_STATUS_TOPIC.exec(topic)?.[1];
}

export class BridgeStatusService {
  readonly #bridges = new Map<string, { receivedAt: number; status: BridgeStatus }>();
  readonly #now: () => number;
  rejected = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Keeps a valid status as its bridge's latest; false (and counted) for anything else. */
  accept(bridgeId: string, payload: Buffer): boolean {
    let status: unknown;
    try {
      status = payload.length <= MAX_STATUS_BYTES ? JSON.parse(payload.toString('utf8')) : undefined;
    } catch {
      status = undefined;
    }
    if (!checker.Check(status) || status.bridgeId !== bridgeId) {
      this.rejected++;
      return false;
    }
    if (!this.#bridges.has(bridgeId) && this.#bridges.size >= MAX_BRIDGES) {
      const [oldest] = [...this.#bridges.entries()].sort(([, a], [, b]) => a.receivedAt - b.receivedAt)[0]!;
      this.#bridges.delete(oldest);
    }
    this.#bridges.set(bridgeId, { receivedAt: this.#now(), status });
    return true;
  }

  list(): BridgeEntry[] {
    const now = this.#now();
    return [...this.#bridges.entries()]
      .map(([bridgeId, { receivedAt, status }]) => ({ bridgeId, receivedAt, online: status.state === 'running' && now - receivedAt <= BRIDGE_ONLINE_WITHIN_MS, status }))
      .sort((a, b) => compareCodeUnits(a.bridgeId, b.bridgeId));
  }
}
