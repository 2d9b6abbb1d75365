import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from 'node:net';

/**
 * A receiver that cannot be reached: it accepts each connection and drops it at once, before
 * any answer (as a crashing process or a misconfigured proxy would), and counts connections,
 * so a test sees how many attempts really went out.
 */
export class UnreachableReceiver {
  connections = 0;
  private server?: NetServer;
  url = '';

  async start(): Promise<this> {
    this.server = createNetServer((socket) => {
      this.connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
