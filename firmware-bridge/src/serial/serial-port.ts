/**
 * Serial ports behind one small interface, so the ANT and GNSS adapters are written against it and
 * tests drive them with emulated devices. Two drivers:
 * - `serialport` (Node-API binaries): lists ports with their USB ids and sets the baud rate. Loaded
 *   lazily, so a bridge without it still runs its other adapters;
 * - `node:fs` + `node:tty`: opens a path directly (a pseudo-terminal, a device already configured
 *   with `stty`); it can neither list USB ids nor set the baud rate.
 */
import { closeSync, constants, createReadStream, openSync, write } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';

export interface SerialPortInfo {
  path: string;
  /** Lower-case hex, e.g. "0fcf". */
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
}

export interface SerialLink {
  readonly path: string;
  write(bytes: Uint8Array): Promise<void>;
  /** The single reader of this port. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when the port goes away (unplugged, closed by the other end, an I/O error). */
  onClose(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export interface SerialDriver {
  readonly name: 'serialport' | 'node:fs';
  list(): Promise<SerialPortInfo[]>;
  open(path: string, baudRate: number): Promise<SerialLink>;
}

/** A SerialLink over any byte stream with the usual events. */
class StreamLink implements SerialLink {
  readonly path: string;
  readonly #write: (bytes: Uint8Array) => Promise<void>;
  readonly #close: () => void;
  #onData: (chunk: Uint8Array) => void = () => {};
  #onClose: (reason: string) => void = () => {};
  #closed = false;

  constructor(path: string, stream: NodeJS.EventEmitter, write: (bytes: Uint8Array) => Promise<void>, close: () => void) {
    this.path = path;
    this.#write = write;
    this.#close = close;
    stream.on('data', (chunk: Uint8Array) => this.#onData(chunk));
    stream.on('error', (err: Error) => this.#gone(err.message));
    stream.on('end', () => this.#gone('the port reached its end'));
    stream.on('close', () => this.#gone('the port was closed'));
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#onData = listener;
  }

  onClose(listener: (reason: string) => void): void {
    this.#onClose = listener;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.path} is closed`));
    return this.#write(bytes);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#close();
  }

  #gone(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#close();
    this.#onClose(reason);
  }
}

export const fsSerialDriver: SerialDriver = {
  name: 'node:fs',
  async list() {
    return [];
  },
  async open(path) {
    const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    const write_ = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) => write(fd, bytes, (err) => (err ? reject(err) : resolve())));
    if (isatty(fd)) {
      // A tty handle is polled by libuv, so closing it never leaves a thread blocked in read().
      const stream = new ReadStream(fd);
      stream.setRawMode(true);
      return new StreamLink(path, stream, write_, () => stream.destroy());
    }
    const stream = createReadStream('', { fd, autoClose: false });
    return new StreamLink(path, stream, write_, () => {
      stream.destroy();
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    });
  },
};

/** The parts of the `serialport` package's API this driver uses. */
interface SerialPortModule {
  SerialPort: {
    list(): Promise<{ path: string; vendorId?: string; productId?: string; serialNumber?: string; manufacturer?: string }[]>;
    new (options: { path: string; baudRate: number; autoOpen: boolean }): SerialPortStream;
  };
}

interface SerialPortStream extends NodeJS.EventEmitter {
  open(callback: (err: Error | null) => void): void;
  write(data: Uint8Array, callback: (err: Error | null | undefined) => void): boolean;
  close(callback?: (err: Error | null) => void): void;
  readonly isOpen: boolean;
}

/** A driver over the `serialport` package's SerialPort class (or its SerialPortMock in tests). */
export function serialportDriver(SerialPort: SerialPortModule['SerialPort']): SerialDriver {
  return {
    name: 'serialport',
    async list() {
      return (await SerialPort.list()).map((info) => ({
        path: info.path,
        ...(info.vendorId ? { vendorId: info.vendorId.toLowerCase() } : {}),
        ...(info.productId ? { productId: info.productId.toLowerCase() } : {}),
        ...(info.serialNumber ? { serialNumber: info.serialNumber } : {}),
        ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
      }));
    },
    async open(path, baudRate) {
      const port = new SerialPort({ path, baudRate, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      const write_ = (bytes: Uint8Array) => new Promise<void>((resolve, reject) => port.write(bytes, (err) => (err ? reject(err) : resolve())));
      return new StreamLink(path, port, write_, () => {
        if (port.isOpen) port.close();
      });
    },
  };
}

export type SerialDriverLoad = { driver: SerialDriver; missing?: string };

/**
 * The `serialport` driver when the package is installed, else the node:fs driver and a sentence
 * saying what that costs.
 */
export async function loadSerialDriver(): Promise<SerialDriverLoad> {
  const name = 'serialport';
  try {
    const module = (await import(name)) as SerialPortModule;
    return { driver: serialportDriver(module.SerialPort) };
  } catch (err) {
    return {
      driver: fsSerialDriver,
      missing: `the serialport package is not installed (${(err as Error).message.split('\n')[0]!.replace(/ imported from .*/, '')}): ports are opened directly, USB sticks cannot be found by id and baud rates are not set`,
    };
  }
}
