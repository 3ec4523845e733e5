/** A pseudo-terminal pair from socat: the bridge opens one end as the pod's serial port, the test writes into the other. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';

export interface PtyPair {
  /** The end the bridge opens, as it would open /dev/ttyACM0. */
  device: string;
  /** Writes bytes as the GNSS pod would. */
  write(text: string): void;
  close(): Promise<void>;
}

export async function openPtyPair(): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`socat printed no pty paths: ${text}`)), 5000);
    child.once('error', (err) => reject(new Error(`socat could not start (${err.message}); scripts/setup.sh --test installs it`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = [...text.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!);
      if (found.length === 2 && text.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  const fd = openSync(paths[1]!, constants.O_RDWR | constants.O_NOCTTY);
  return {
    device: paths[0]!,
    write: (text) => void writeSync(fd, text),
    async close() {
      closeSync(fd);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
