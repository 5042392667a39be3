/**
 * A TCP proxy a test starts in front of a real server (MariaDB) and breaks on purpose, so a fault
 * test never touches the shared server: only the connections through this proxy fail.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** How the proxy treats traffic. */
export type TcpProxyMode =
  /** Pass bytes both ways. */
  | 'forward'
  /** Stop listening: new connections get ECONNREFUSED, as when the server is stopped. */
  | 'refuse'
  /** Accept, then reset at once: as when the server crashes mid-handshake. */
  | 'reset'
  /** Accept and never answer: as when the network drops packets. */
  | 'blackhole';

/** Options for {@link TcpProxy.start}. */
export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Port to listen on; default a free one. It is kept across `refuse` and `forward`. */
  listenPort?: number;
}

/**
 * A start/stop-able TCP proxy on 127.0.0.1.
 */
export class TcpProxy {
  /** Connections accepted since start. */
  accepted = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private currentMode: TcpProxyMode = 'forward';

  private listenPort = 0;

  private constructor(private readonly options: TcpProxyOptions) {}

  /** Starts forwarding on a free (or the given) port. */
  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const proxy = new TcpProxy(options);
    proxy.listenPort = await proxy.listen(options.listenPort ?? 0);
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    return this.listenPort;
  }

  /** The mode in force. */
  get mode(): TcpProxyMode {
    return this.currentMode;
  }

  /** Switches mode. Leaving `forward` cuts every open connection, so pooled connections die too. */
  async setMode(mode: TcpProxyMode): Promise<void> {
    if (mode === this.currentMode) return;
    this.currentMode = mode;
    if (mode !== 'forward') this.cutAll();
    if (mode === 'refuse') await this.stopListening();
    else if (!this.server) await this.listen(this.port);
  }

  /** Cuts every connection and stops listening for good. */
  async close(): Promise<void> {
    this.cutAll();
    await this.stopListening();
  }

  private onConnection(client: Socket): void {
    this.accepted += 1;
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.currentMode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (this.currentMode === 'blackhole') return;
    const upstream = createConnection({ host: this.options.targetHost, port: this.options.targetPort });
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.onConnection(socket));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
