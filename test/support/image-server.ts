import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on loopback serving whatever routes a test defines. */
export class TestImageServer {
  private server: Server | undefined;
  readonly routes = new Map<string, Route>();
  readonly hits = new Map<string, number>();
  port = 0;
  host = '127.0.0.1';

  async start(host = '127.0.0.1'): Promise<this> {
    this.host = host;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = this.routes.get(path);
      if (route) route(req, res);
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => this.server!.listen(0, host, r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(path: string, host = this.host): string {
    return `http://${host}:${this.port}${path}`;
  }

  serve(path: string, body: Buffer, contentType = 'image/jpeg'): this {
    this.routes.set(path, (_req, res) =>
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body),
    );
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
