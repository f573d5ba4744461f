import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where HAProxy connects to the gateways from: the one address in the gateways' PROXY_PROTOCOL_FROM. */
export const BALANCER_SOURCE = '127.0.0.5';

/** One gateway instance as HAProxy sees it: its data-plane port and its operations listener's. */
export interface Backend {
  port: number;
  opsPort: number;
}

/**
 * The HAProxy configuration of docs/production.md, on loopback: TCP mode (TLS passes through, so
 * the client certificate reaches the gateway), PROXY protocol v2 to each gateway, round robin,
 * health checks on each instance's readiness (GET /health/ready on the operations listener, every
 * 200 ms here). Connecting from BALANCER_SOURCE keeps the balancer's address apart from the test
 * clients' (127.0.0.1, 127.0.0.9).
 */
export function haproxyConfig(frontendPort: number, gateways: Backend[], statsSocket: string): string {
  return `global
    stats socket ${statsSocket} mode 600 level admin
    log stderr format raw local0 warning

defaults
    mode tcp
    log global
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
    retries 2
    option redispatch 1

frontend gateway_data_plane
    bind 127.0.0.1:${frontendPort}
    default_backend gateways

backend gateways
    balance roundrobin
    source ${BALANCER_SOURCE}
    option httpchk GET /health/ready
    http-check expect status 200
    default-server send-proxy-v2 check inter 200 fall 1 rise 1
${gateways.map((g, i) => `    server gw${i + 1} 127.0.0.1:${g.port} check port ${g.opsPort}`).join('\n')}
`;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `haproxy -f cfg -db` (foreground) with its config in a temp dir; stop() kills it. */
export class HaproxyProcess {
  private constructor(private readonly child: ChildProcess, readonly port: number, private readonly statsSocket: string, readonly output: string[]) {}

  static async start(gateways: Backend[]): Promise<HaproxyProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-test-'));
    const port = await freePort();
    const statsSocket = path.join(dir, 'stats.sock');
    const configFile = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(configFile, haproxyConfig(port, gateways, statsSocket));
    const child = spawn('haproxy', ['-f', configFile, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const proxy = new HaproxyProcess(child, port, statsSocket, output);
    const deadline = Date.now() + 5000;
    while (!(await proxy.accepting())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`HAProxy did not start: ${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return proxy;
  }

  private accepting(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  }

  /**
   * Each server's status as HAProxy's health checks see it ("UP", "DOWN", …) and its last check
   * ("L7OK": /health/ready answered 200; a "* " HAProxy puts before one under way is left out), from the stats socket.
   */
  async serverStatus(): Promise<Record<string, { status: string; check: string }>> {
    const csv = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(this.statsSocket, () => socket.end('show stat\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header.indexOf(name);
    const servers = rows.filter((row) => row[column('pxname')] === 'gateways' && row[column('svname')].startsWith('gw'));
    return Object.fromEntries(servers.map((row) => [row[column('svname')], { status: row[column('status')], check: row[column('check_status')].replace(/^\* /, '') }]));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

export interface MtlsResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One HTTPS call on its own TCP connection (no keep-alive, so round robin alternates), presenting
 * a client certificate, from a chosen loopback address.
 */
export function mtlsCall(options: {
  port: number;
  ca: string;
  client?: { certPem: string; keyPem: string };
  method: string;
  path: string;
  localAddress?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Written on the TCP socket before the TLS handshake, as a load balancer would. */
  proxyHeader?: string | Buffer;
}): Promise<MtlsResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request({
      host: '127.0.0.1',
      port: options.port,
      method: options.method,
      path: options.path,
      ca: options.ca,
      cert: options.client?.certPem,
      key: options.client?.keyPem,
      localAddress: options.localAddress,
      // No agent: a fresh TCP connection each call (an agent would also bypass createConnection).
      agent: options.proxyHeader ? undefined : false,
      headers: options.headers,
      timeout: 10_000,
      ...(options.proxyHeader ? { createConnection: () => withProxyHeader(options) } : {}),
    }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {}, headers: response.headers }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(options.body);
  });
}

function withProxyHeader(options: { port: number; ca: string; client?: { certPem: string; keyPem: string }; localAddress?: string; proxyHeader?: string | Buffer }): tls.TLSSocket {
  const raw = net.connect({ host: '127.0.0.1', port: options.port, localAddress: options.localAddress });
  raw.write(options.proxyHeader!);
  return tls.connect({ socket: raw, ca: options.ca, cert: options.client?.certPem, key: options.client?.keyPem, servername: 'localhost' });
}
