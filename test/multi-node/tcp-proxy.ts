/**
 * A TCP proxy in front of Redis for outage tests: while `down`, it refuses new connections (accepts
 * and closes them at once), which is what a client sees while Redis restarts; when Redis closes a
 * connection (CLIENT KILL), the proxy closes the client's side too. Only the test's own stores go
 * through it, so other suites sharing the Redis are untouched.
 */
import net from 'node:net';

export class TcpProxy {
  down = false;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /** Listens on `port` (0: any free one). */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** The Redis URL that goes through this proxy. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Resets every open connection (TCP RST on both sides): a crash, as the clients see it. */
  resetAll(): void {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  }
}
