/**
 * A TCP proxy between hubs and central that breaks the link on command: it cuts every open
 * connection, refuses new ones for a while, or lets a request reach central and then drops the
 * answer (the batch is stored, the acknowledgement is lost).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class FaultProxy {
  private readonly server: Server;
  private readonly targetPort: number;
  private readonly links = new Set<{ client: Socket; upstream: Socket }>();
  private refusingUntil = 0;
  private answersToDrop = 0;
  private requestWaiters: (() => void)[] = [];
  readonly stats = { connections: 0, cut: 0, refused: 0, answersDropped: 0 };

  constructor(targetPort: number) {
    this.targetPort = targetPort;
    this.server = createServer((client) => this.accept(client));
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }

  private accept(client: Socket): void {
    if (Date.now() < this.refusingUntil) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    this.stats.connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    const link = { client, upstream };
    this.links.add(link);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.links.delete(link);
    };
    client.on('data', (chunk) => {
      upstream.write(chunk);
      for (const wake of this.requestWaiters.splice(0)) wake();
    });
    upstream.on('data', (chunk) => {
      if (this.answersToDrop > 0) {
        this.answersToDrop--;
        this.stats.answersDropped++;
        drop();
        return;
      }
      client.write(chunk);
    });
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }

  /** Resolves when the next request bytes pass towards central (rejects if none come in 10 s). */
  nextRequest(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no request reached the proxy within 10 s')), 10_000);
      this.requestWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  cutAll(): void {
    for (const { client, upstream } of this.links) {
      this.stats.cut++;
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
  }

  refuseFor(ms: number): void {
    this.refusingUntil = Date.now() + ms;
    this.cutAll();
  }

  dropNextAnswers(n: number): void {
    this.answersToDrop += n;
  }

  heal(): void {
    this.refusingUntil = 0;
    this.answersToDrop = 0;
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
