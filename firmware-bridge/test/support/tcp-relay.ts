/**
 * A TCP relay standing for the network between bridge and hub: the bridge always dials the relay,
 * and the test points it at whichever hub is running (or at none, when the hub is down).
 */
import net, { type AddressInfo, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Where new connections go; undefined refuses them, as a stopped hub would. */
  target: number | undefined;
  close(): Promise<void>;
}

export async function startTcpRelay(target: number | undefined): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const relay = { target } as TcpRelay;
  const server = net.createServer((socket) => {
    if (relay.target === undefined) return void socket.destroy();
    const upstream = net.connect(relay.target, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as AddressInfo).port;
  relay.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return relay;
}
