/**
 * An in-memory serial port with the behaviour of @serialport/binding-mock's ports: it records what
 * the bridge writes, lets the test emit bytes as if the device had sent them, and can be unplugged.
 */
import type { SerialDriver, SerialLink, SerialPortInfo } from '../../src/serial/serial-port.ts';

export class MemorySerialLink implements SerialLink {
  readonly path: string;
  readonly written: Uint8Array[] = [];
  /** Called with each write, after it was recorded: the emulated device's ear. */
  onWrite: ((bytes: Uint8Array) => void) | undefined;
  closed = false;
  #onData: (chunk: Uint8Array) => void = () => {};
  #onClose: (reason: string) => void = () => {};

  constructor(path: string) {
    this.path = path;
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#onData = listener;
  }

  onClose(listener: (reason: string) => void): void {
    this.#onClose = listener;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.path} is closed`);
    this.written.push(Uint8Array.from(bytes));
    const listener = this.onWrite;
    // Devices answer after the write completes, never inside it.
    if (listener) setImmediate(() => listener(bytes));
  }

  /** Bytes from the device. */
  emit(bytes: Uint8Array): void {
    if (!this.closed) this.#onData(bytes);
  }

  unplug(reason = 'device unplugged'): void {
    if (this.closed) return;
    this.closed = true;
    this.#onClose(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A driver whose ports are created by the test; `open` fails for paths it does not know. */
export class MemorySerialDriver implements SerialDriver {
  readonly name = 'serialport' as const;
  readonly ports = new Map<string, { info: SerialPortInfo; open: () => MemorySerialLink }>();
  opened: MemorySerialLink[] = [];

  add(info: SerialPortInfo, open: () => MemorySerialLink): void {
    this.ports.set(info.path, { info, open });
  }

  async list(): Promise<SerialPortInfo[]> {
    return [...this.ports.values()].map((port) => port.info);
  }

  async open(path: string): Promise<SerialLink> {
    const port = this.ports.get(path);
    if (!port) throw new Error(`${path}: no such file or directory`);
    const link = port.open();
    this.opened.push(link);
    return link;
  }
}
