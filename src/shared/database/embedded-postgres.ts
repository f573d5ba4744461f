import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import fs from 'node:fs';
import path from 'node:path';

/**
 * How long a query waits for a pooled connection to the embedded database (ms). PGlite runs every
 * statement of every connection, one at a time, on this process's own CPU, and it cannot become
 * unreachable by itself: waiting seconds behind other work is normal on a busy laptop (or a loaded
 * CI machine, where the 3 s meant for a real server's outages ran out), not an outage to answer 503.
 */
export const EMBEDDED_CONNECT_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL for `npm start` with nothing configured: PGlite (PostgreSQL compiled to WASM) with
 * its data on disk, served on a loopback port through the Postgres wire protocol so that the
 * gateway uses exactly the same `pg` driver and migrations as against a real server.
 *
 * The server writes its URL to `<dataDir>/embedded-postgres.json` so that the CLI, run while the
 * gateway is up, connects to it instead of opening the same files a second time.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    private readonly infoFile: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const pgdata = path.join(dataDir, 'pgdata');
    fs.mkdirSync(pgdata, { recursive: true });
    const db = await PGlite.create(pgdata, { extensions: { pgcrypto } });
    const port = await freeLoopbackPort();
    // PGlite runs one query at a time; the socket server queues the pool's connections.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
    await server.start();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const infoFile = path.join(dataDir, 'embedded-postgres.json');
    fs.writeFileSync(infoFile, JSON.stringify({ url, pid: process.pid }));
    return new EmbeddedPostgres(db, server, url, infoFile);
  }

  /** The URL of an embedded server another process of this install is running, if any. */
  static runningUrl(dataDir: string): string | undefined {
    try {
      const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8'));
      process.kill(info.pid, 0);
      return info.url;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    fs.rmSync(this.infoFile, { force: true });
  }
}

async function freeLoopbackPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
