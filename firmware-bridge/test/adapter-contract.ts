/**
 * The contract every SensorAdapter passes (edge-and-style Part C lesson 2): a valid manifest; start
 * and stop that never throw and can be repeated; readings that the hub's ingest contract accepts,
 * each from a device the status reports; bad device input rejected and counted while the adapter
 * keeps running; missing hardware reported as `unavailable`, said once.
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, TRANSPORTS, type AdapterStatus, type Capability, type SensorAdapter } from '../src/adapter.ts';
import { ReadingBatcher, type OutgoingMessage } from '../src/hub-link/batcher.ts';
import type { BridgeReading } from '../src/hub-link/readings.ts';
import bridgePackage from '../package.json' with { type: 'json' };
import { contractViolations } from './ingest-contract-check.ts';
import { captureContext, until, type CapturedContext } from './support/capture-context.ts';

export interface AdapterHarness {
  adapter: SensorAdapter;
  /** Makes the emulated devices send good data (called after start, possibly several times). */
  feed(): Promise<void>;
  /** Makes them send bad data: garbage bytes, bad checksums, truncated frames, impossible values. */
  feedGarbage(): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterContractCase {
  name: string;
  make(): AdapterHarness;
  /** The same adapter on a machine without its hardware or driver package, when that can happen. */
  absent?: () => AdapterHarness;
}

const STREAM_CAPABILITY: Record<BridgeReading['stream'], Capability> = { hr: 'hr', gnss: 'gnss', imu: 'imu', battery: 'battery' };

/** Everything the adapter admits it refused: per-device rejections and its own counters. */
function refusals(status: AdapterStatus, context: CapturedContext): number {
  const devices = status.devices.reduce((n, d) => n + d.rejected, 0);
  const counters = Object.entries(status.counters)
    .filter(([name]) => /corrupt|bad|checksum|malformed|rejected|discarded/i.test(name))
    .reduce((n, [, v]) => n + v, 0);
  return devices + counters + context.rejected.length;
}

function serialise(readings: readonly BridgeReading[]): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  const batcher = new ReadingBatcher((m) => messages.push(m));
  for (const reading of readings) batcher.add(reading, 0);
  batcher.flushAll();
  return messages;
}

export function describeAdapterContract(contract: AdapterContractCase): void {
  describe(`adapter contract: ${contract.name}`, () => {
    it('declares a valid manifest and starts out stopped', async () => {
      const harness = contract.make();
      const { manifest } = harness.adapter;
      expect(manifest.id).toMatch(/^[a-z0-9-]{1,32}$/);
      expect(TRANSPORTS).toContain(manifest.transport);
      expect(manifest.capabilities.length).toBeGreaterThan(0);
      expect(new Set(manifest.capabilities).size).toBe(manifest.capabilities.length);
      for (const capability of manifest.capabilities) expect(CAPABILITIES).toContain(capability);
      expect(manifest.version).toBe(bridgePackage.version);
      expect(['radio-scan', 'usb-id', 'configured-ports', 'simulated']).toContain(manifest.discovery);
      expect(harness.adapter.status()).toMatchObject({ id: manifest.id, transport: manifest.transport, state: 'stopped', devices: [] });
      await harness.close();
    });

    it('publishes readings the hub accepts, each from a device its status reports as streaming', async () => {
      const harness = contract.make();
      const context = captureContext();
      await harness.adapter.start(context);
      expect(harness.adapter.status().state).toBe('running');
      await harness.feed();
      await until(() => context.readings.length >= 3, 5000, 'readings');
      const { manifest } = harness.adapter;
      for (const reading of context.readings) {
        expect(manifest.capabilities).toContain(STREAM_CAPABILITY[reading.stream]);
        if (reading.stream === 'hr' && reading.rr) expect(manifest.capabilities).toContain('rr');
      }
      for (const message of serialise(context.readings)) expect(contractViolations(message.topic, message.payload), message.payload).toEqual([]);
      const status = harness.adapter.status();
      const devices = new Map(status.devices.map((d) => [d.sensorId, d]));
      for (const sensorId of new Set(context.readings.map((r) => r.sensorId))) {
        const device = devices.get(sensorId);
        expect(device, sensorId).toBeDefined();
        expect(device!.readings).toBeGreaterThan(0);
        expect(device!.state).toBe('streaming');
        expect(device!.lastSeenAt).toBeGreaterThan(Date.now() - 10_000);
      }
      await harness.adapter.stop();
      await harness.close();
    });

    it('rejects and counts bad device input, and keeps publishing good input after it', async () => {
      const harness = contract.make();
      const context = captureContext();
      await harness.adapter.start(context);
      await harness.feed();
      await until(() => context.readings.length > 0, 5000, 'first readings');
      const before = refusals(harness.adapter.status(), context);
      await harness.feedGarbage();
      await until(() => refusals(harness.adapter.status(), context) > before, 5000, 'the garbage to be counted');
      expect(harness.adapter.status().state).toBe('running');
      const count = context.readings.length;
      await harness.feed();
      await until(() => context.readings.length > count, 5000, 'readings after the garbage');
      await harness.adapter.stop();
      await harness.close();
    });

    it('stops cleanly, twice, publishes nothing afterwards, and starts again', async () => {
      const harness = contract.make();
      const context = captureContext();
      await harness.adapter.start(context);
      await harness.feed();
      await until(() => context.readings.length > 0, 5000, 'readings');
      await harness.adapter.stop();
      await harness.adapter.stop();
      expect(harness.adapter.status().state).toBe('stopped');
      const count = context.readings.length;
      await harness.feed().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(context.readings.length).toBe(count);
      await harness.adapter.start(context);
      expect(harness.adapter.status().state).toBe('running');
      await harness.adapter.stop();
      await harness.close();
    });

    if (contract.absent) {
      const absent = contract.absent;
      it('without its hardware, starts as unavailable, says why once, and stops cleanly', async () => {
        const harness = absent();
        const context = captureContext();
        await harness.adapter.start(context);
        const status = harness.adapter.status();
        expect(status.state).toBe('unavailable');
        expect(status.detail).toBeTruthy();
        expect(context.logs.filter((l) => l.level === 'warn')).toHaveLength(1);
        expect(context.readings).toEqual([]);
        await harness.adapter.stop();
        await harness.close();
      });
    }
  });
}
