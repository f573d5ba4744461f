/**
 * The pull load generator: a small HTTP/1.1 client on Node's `tls`, run as its own process(es).
 *
 * Why not autocannon: it appends every body chunk to a string, which costs twice as much on a page
 * with non-ASCII bytes (the gateway's pages are Vietnamese), and with it the client, not the
 * server, was the bottleneck (issue 19). This client keeps each connection alive, sends one request
 * at a time on it (no pipelining), reads the status line and `Content-Length` from the head and
 * then only counts body bytes: nothing is decoded, copied or kept (but a page's last bytes when it
 * follows cursors, `followCursor`).
 *
 * A job runs `warmupSeconds`, until `warmupRequests` answers, and until every connection has had its first answer (on a starved
 * machine 64 TLS handshakes can outlast the warm-up, and would be charged to the measured
 * requests), then is measured for `seconds`; then each connection finishes its request in flight
 * and stops, so that no abandoned request is still being served in the next run. `onWindow` is
 * told when the measured window starts and ends (the parent reads the servers' CPU then).
 */
import tls from 'node:tls';

export interface TlsLoadJob {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  tls: { cert: string; key: string; ca: string };
  connections: number;
  warmupSeconds: number;
  /**
   * Answers the warm-up must also have seen (or a minute passed): V8 goes on optimizing a server's
   * code over its first few thousand requests, and a server that builds its pages reached that
   * count in 2 s no more than a fifth of the way (bench/README.md, "Warm-up").
   */
  warmupRequests?: number;
  seconds: number;
  /**
   * Page through the feed as a consumer syncing its history: each connection follows the
   * `nextCursor` of its last page (read from the body's last bytes, the rest still only counted)
   * and starts again from `path` when it reaches the end.
   */
  followCursor?: boolean;
}

export interface TlsLoadFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  bytesPerRequest: number;
  statusCodes: Record<string, number>;
  errors: string[];
  /** This process's CPU over the measured window, in percent of one core. */
  cpuPercent: number;
  /** Connections the server closed and this client opened again. */
  reconnects: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** How many of a body's last bytes are kept in followCursor mode: the cursors are at the end of a page. */
const TAIL_BYTES = 512;
const NEXT_CURSOR = /"nextCursor":(?:"([^"]*)"|null)/;

export function runTlsLoad(job: TlsLoadJob, onWindow: (edge: 'start' | 'end') => void = () => undefined): Promise<TlsLoadFigures> {
  const requestFor = (path: string) =>
    Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: ${job.host}:${job.port}\r\n` +
        Object.entries(job.headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n',
    );
  const request = requestFor(job.path);
  const separator = job.path.includes('?') ? '&' : '?';
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errors: string[] = [];
  let measuring = false;
  let stopping = false;
  let requests = 0;
  let bytes = 0;
  let cpuAtStart = process.cpuUsage();
  let measuredFrom = 0;
  let measuredTo = 0;

  let reconnects = 0;
  let connectionsAnswered = 0;
  let warmupTimeUp = false;
  let warmupAnswers = 0;
  let warmupCapped = false; // a minute has passed: measure whatever the count
  const warmedUp = () => warmupTimeUp && (warmupAnswers >= (job.warmupRequests ?? 0) || warmupCapped);
  let stopTimer: NodeJS.Timeout | undefined;
  let cpuUsed = { user: 0, system: 0 };
  const maybeStart = () => {
    if (measuring || stopping || !warmedUp() || connectionsAnswered < job.connections) return;
    measuring = true;
    measuredFrom = performance.now();
    cpuAtStart = process.cpuUsage();
    onWindow('start');
    stopTimer = setTimeout(() => {
      measuredTo = performance.now();
      cpuUsed = process.cpuUsage(cpuAtStart);
      measuring = false;
      stopping = true;
      onWindow('end');
    }, job.seconds * 1000);
  };
  /** One keep-alive connection; opened again if the server closes it (e.g. a keep-alive request limit). */
  const connection = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const socket = tls.connect({ host: job.host, port: job.port, cert: job.tls.cert, key: job.tls.key, ca: job.tls.ca, minVersion: 'TLSv1.2', servername: undefined });
      socket.setNoDelay(true);
      let head: Buffer | null = null; // the response head so far, while it is incomplete
      let remaining = -1; // body bytes still to come; -1 while reading the head
      let sentAt = 0;
      let status = '';
      let tail: Buffer = Buffer.alloc(0); // followCursor: the body's last bytes
      let cursor: string | null = null;
      const send = () => {
        if (stopping) return void socket.end();
        sentAt = performance.now();
        socket.write(cursor ? requestFor(`${job.path}${separator}cursor=${encodeURIComponent(cursor)}`) : request);
      };
      let answered = false;
      const finish = () => {
        if (!answered) {
          answered = true;
          if (++connectionsAnswered === job.connections) maybeStart();
        }
        if (!measuring && !stopping && ++warmupAnswers === job.warmupRequests) maybeStart();
        if (measuring) {
          requests++;
          latencies.push(performance.now() - sentAt);
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        }
        remaining = -1;
        if (job.followCursor) {
          cursor = status === '200' ? (NEXT_CURSOR.exec(tail.toString('latin1'))?.[1] ?? null) : null;
          tail = Buffer.alloc(0);
        }
        send();
      };
      socket.on('secureConnect', send);
      socket.on('data', (chunk: Buffer) => {
        if (measuring) bytes += chunk.length;
        let body = chunk;
        if (remaining < 0) {
          const buffered = head ? Buffer.concat([head, chunk]) : chunk;
          const end = buffered.indexOf(HEAD_END);
          if (end < 0) {
            head = buffered;
            return;
          }
          head = null;
          const text = buffered.toString('latin1', 0, end);
          status = text.slice(9, 12);
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          if (!length) {
            errors.push(`a response without Content-Length (status ${status})`);
            return void socket.destroy();
          }
          remaining = Number(length[1]);
          body = buffered.subarray(end + 4);
        }
        remaining -= body.length;
        if (job.followCursor) tail = body.length >= TAIL_BYTES ? body.subarray(body.length - TAIL_BYTES) : Buffer.concat([tail, body]).subarray(-TAIL_BYTES);
        if (remaining === 0) finish();
        else if (remaining < 0) {
          errors.push('more bytes than Content-Length said (no pipelining is sent)');
          socket.destroy();
        }
      });
      socket.on('error', (error) => {
        if (errors.length < 20) errors.push(error.message);
      });
      socket.on('close', () => {
        if (stopping || errors.length >= 20) return resolve();
        reconnects++;
        resolve(connection());
      });
    });

  const done = Promise.all(Array.from({ length: job.connections }, connection));
  const warmupTimer = setTimeout(() => {
    warmupTimeUp = true;
    maybeStart();
  }, job.warmupSeconds * 1000);
  // Never more than a minute of warm-up: then the window starts, or, if some connection never
  // answered, that is an error.
  const giveUp = setTimeout(() => {
    if (measuring || stopping) return;
    warmupCapped = true;
    if (connectionsAnswered === job.connections) return maybeStart();
    errors.push(`only ${connectionsAnswered} of ${job.connections} connections answered within 60 s`);
    stopping = true;
  }, 60_000);
  return done.then(() => {
    clearTimeout(warmupTimer);
    clearTimeout(giveUp);
    clearTimeout(stopTimer);
    if (!measuredTo) {
      measuredTo = performance.now();
      cpuUsed = process.cpuUsage(cpuAtStart);
    }
    const seconds = Math.max(0.001, (measuredTo - measuredFrom) / 1000);
    latencies.sort((a, b) => a - b);
    const at = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
    return {
      requests,
      seconds,
      rps: requests / seconds,
      p50: at(50),
      p99: at(99),
      bytesPerRequest: requests ? bytes / requests : 0,
      statusCodes,
      errors,
      reconnects,
      cpuPercent: ((cpuUsed.user + cpuUsed.system) / 1000 / (seconds * 1000)) * 100,
    };
  });
}

// As a child process: one job per message, the figures sent back.
if (process.send) {
  process.on('message', (job: TlsLoadJob) => {
    runTlsLoad(job, (edge) => process.send!({ window: edge })).then(
      (figures) => process.send!({ ok: true, figures }),
      (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
