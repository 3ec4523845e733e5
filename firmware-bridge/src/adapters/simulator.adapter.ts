/**
 * The squad simulator as one more adapter: the same seeded model as `simulate`, but its readings go
 * through the bridge's gate, batching, outbox and spool like a real radio's, so a bridge can be
 * tried, demonstrated and tested end to end without hardware. Payloads the model breaks on purpose
 * are what a garbled radio would deliver: the adapter rejects and counts them.
 */
import type { AdapterContext, AdapterManifest, AdapterStatus, DeviceStatus, SensorAdapter } from '../adapter.ts';
import type { BridgeReading } from '../hub-link/readings.ts';
import { createSquadModel, TICK_MS, type SimMessage, type SquadModel } from '../simulator/squad-model.ts';
import { BRIDGE_VERSION } from '../version.ts';

export interface SimulatorAdapterOptions {
  id?: string;
  athletes?: number;
  seed?: number;
  speedup?: number;
  dropoutRate?: number;
  malformedRate?: number;
}

const LOOP_MS = 50;
const CATCH_UP_SLICE_MS = 1000;
const SILENT_AFTER_MS = 3000;

export class SimulatorAdapter implements SensorAdapter {
  readonly manifest: AdapterManifest;
  readonly #options: SimulatorAdapterOptions;
  #model: SquadModel | undefined;
  #timer: NodeJS.Timeout | undefined;
  #context: AdapterContext | undefined;
  readonly #devices = new Map<string, DeviceStatus>();
  readonly #counters = { malformedOnPurpose: 0, rejectedReadings: 0 };

  constructor(options: SimulatorAdapterOptions = {}) {
    this.#options = options;
    this.manifest = { id: options.id ?? 'simulator', transport: 'simulator', capabilities: ['hr', 'rr', 'battery', 'gnss', 'imu'], version: BRIDGE_VERSION, discovery: 'simulated' };
  }

  async start(context: AdapterContext): Promise<void> {
    if (this.#model) return;
    this.#context = context;
    const wallStart = context.now();
    const speedup = this.#options.speedup ?? 1;
    const model = createSquadModel({
      startTime: Math.round(wallStart),
      athletes: this.#options.athletes,
      seed: this.#options.seed,
      faults: { malformedRate: this.#options.malformedRate ?? 0, dropoutRate: this.#options.dropoutRate ?? 0.0005 },
    });
    this.#model = model;
    for (const device of model.devices) {
      this.#devices.set(device.sensorId, {
        sensorId: device.sensorId,
        name: device.athleteNumber === null ? 'simulated spare strap' : `simulated ${device.kind} #${device.athleteNumber}`,
        state: 'connecting',
        via: 'simulator',
        readings: 0,
        rejected: 0,
      });
    }
    this.#timer = setInterval(() => {
      const target = model.startTime + (context.now() - wallStart) * speedup;
      while (model.now + TICK_MS <= target) {
        for (const message of model.advanceTo(Math.min(target, model.now + CATCH_UP_SLICE_MS))) this.#deliver(message);
      }
    }, LOOP_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#model = undefined;
  }

  status(): AdapterStatus {
    const now = this.#context?.now() ?? Date.now();
    const devices = [...this.#devices.values()].map((device) => {
      const copy = { ...device };
      if (copy.lastSeenAt !== undefined) copy.state = now - copy.lastSeenAt <= SILENT_AFTER_MS ? 'streaming' : 'silent';
      return copy;
    });
    return {
      id: this.manifest.id,
      transport: 'simulator',
      state: this.#model ? 'running' : 'stopped',
      detail: this.#model ? `${this.#model.squad.length} simulated athletes` : 'not running',
      devices,
      counters: { ...this.#counters },
    };
  }

  #deliver(message: SimMessage): void {
    const device = this.#devices.get(message.sensorId)!;
    device.lastSeenAt = this.#context!.now();
    if (message.malformed) {
      this.#counters.malformedOnPurpose++;
      device.rejected++;
      device.problem = `sent a ${message.malformed} payload (simulated fault)`;
      return;
    }
    const reading = { sensorId: message.sensorId, stream: message.stream, ...(JSON.parse(message.payload) as object) } as BridgeReading;
    const verdict = this.#context!.publish(reading);
    if (verdict.accepted) {
      device.readings++;
      if (reading.stream === 'battery') device.batteryPct = reading.pct;
    } else {
      this.#counters.rejectedReadings++;
      device.rejected++;
      device.problem = verdict.message;
    }
  }
}
