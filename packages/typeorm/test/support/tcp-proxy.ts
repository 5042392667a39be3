/** A TCP proxy in front of MariaDB that a test can cut, to produce real connection faults. */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  port: number;
  /** Stops listening and resets every open connection: new connects get ECONNREFUSED. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free local port forwarding to `host:port`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const makeServer = (): Server =>
    createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
  let server = makeServer();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(0);
  let listening = true;
  const stop = async () => {
    for (const socket of sockets) socket.resetAndDestroy();
    if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    listening = false;
  };
  return {
    port,
    cut: stop,
    async restore() {
      server = makeServer();
      await listen(port);
      listening = true;
    },
    close: stop,
  };
}
