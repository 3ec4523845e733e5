/** Messages between the bench and its load-generator child process (bench/load-generator.ts). */

export interface LoadPlan {
  mqttUrl: string;
  username: string;
  password: string;
  /** Squad size: 21 messages/s per athlete at speed-up 1 (HR 1 Hz, GNSS 10 Hz, IMU 10 Hz). */
  athletes: number;
  seed: number;
}

export interface LoadWindow {
  /** Simulated seconds per wall-clock second: multiplies every device's message rate. */
  speedup: number;
  /** Wall-clock (Unix ms) start of publishing; the warm-up runs until windowStart. */
  startAt: number;
  windowStart: number;
  windowEnd: number;
  /** How long after windowEnd the load goes on and acknowledgements are still counted. */
  drainMs: number;
}

export interface LoadResult {
  devices: number;
  /** Messages the generator tried to publish in the window, plus those due in it it never got to. */
  offered: number;
  /** Of those, handed to the MQTT clients: their `t` lies in the window. */
  published: number;
  /** Of those, acknowledged by the broker (PUBACK) before windowEnd + drainMs. */
  acknowledged: number;
  /** Not sent: the device's link was down, or it already had this many awaiting PUBACK. */
  droppedOffline: number;
  droppedBacklog: number;
  publishErrors: number;
  /** Worst delay between a message's scheduled and actual publish: the generator's own lag. */
  maxLagMs: number;
}

export type ParentMessage = { type: 'run'; window: LoadWindow } | { type: 'stop' };
export type ChildMessage = { type: 'ready'; devices: number } | { type: 'result'; result: LoadResult } | { type: 'error'; message: string };
