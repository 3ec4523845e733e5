/** What the ingest benchmark needs from a system under test: the hub, or the Node-RED peer. */
import type { LiveReceiver } from './live-receiver.ts';

export interface MeasuredProcess {
  name: string;
  pid: number;
}

export interface Accounting {
  rejectedByCode: Record<string, number>;
  stored: number | null;
}

export interface IngestTarget {
  name: 'hub' | 'peer';
  mqttUrl: string;
  /** One credential shared by every simulated device. */
  username: string;
  password: string;
  /** The processes whose CPU and memory are the system's cost. */
  processes: MeasuredProcess[];
  receiver: LiveReceiver;
  /**
   * How a message counts as delivered. The hub acknowledges (PUBACK) a QoS 1 message only after
   * its readings are validated, in the live engine and committed to SQLite, so a PUBACK is the
   * proof. Mosquitto acknowledges on receipt, so the peer's proof is its WebSocket message.
   */
  deliveredBy: 'puback' | 'websocket';
  /** Messages rejected so far, by reason, and readings stored so far (null for a system that stores none). */
  accounting(): Promise<Accounting>;
  /** Registers athletes 0..athletes-1 of the squad (and their sensors) if not yet done. */
  prepare(athletes: number): Promise<void>;
  stop(): Promise<void>;
}
