// Minimal typing of the parts of autocannon 9 the benchmark uses (no @types package is installed).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    [percentile: string]: number;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    mismatches: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    maxConnectionRequests?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    tlsOptions?: Record<string, unknown>;
    bailout?: number;
    expectBody?: string;
  }
  function autocannon(options: Options): Promise<Result> & { stop(): void; on(event: 'response', listener: () => void): void };
  export default autocannon;
  export type { Options, Result };
}
