import type { GatewayConfig } from '../../shared/config/gateway-config.js';

export interface WindowThreshold {
  /** Events within the window that trip the signal; 0: the signal is off. */
  count: number;
  windowMs: number;
}

export interface AnomalyThresholds {
  /**
   * 401s for one certificate (an expired token is not counted: it once was valid). Default 5 in
   * 10 s: fail2ban's `maxretry = 5`, in a much shorter window than its `findtime = 10m` because
   * machine clients retry in milliseconds, not minutes.
   */
  authFailures: WindowThreshold;
  /**
   * Distinct unknown routes (404 from the router, not "no such record"). Default 10 in 10 s:
   * CrowdSec crowdsecurity/http-probing (capacity 10, leakspeed 10s, distinct http_path).
   */
  unknownPaths: WindowThreshold;
  /**
   * Requests matching an attack signature. Default 3 in 60 s: CrowdSec
   * crowdsecurity/http-path-traversal-probing overflows at capacity 3; http-sqli-probing and
   * http-xss-probing use larger buckets for anonymous web traffic, but a certificate-authenticated
   * machine client has no reason to send any such payload.
   */
  attackProbes: WindowThreshold;
  /** 403 OUTSIDE_* refusals (calls against the agreed business process). Default 10 in 60 s. */
  scopeRefusals: WindowThreshold;
  /** 429s, i.e. a client ignoring Retry-After. Default 30 in 60 s. */
  quotaRefusals: WindowThreshold;
  /**
   * Query spike: calls in one bucket ≥ minRequests and > factor × the connection's own average
   * over the previous baselineBuckets buckets (judged only once that much history exists).
   * Default: ≥ 300 calls in a minute and 10 × the last hour's per-minute average.
   */
  spike: { factor: number; minRequests: number; bucketMs: number; baselineBuckets: number };
}

export function anomalyThresholds(config: GatewayConfig): AnomalyThresholds {
  const w = (count: number, seconds: number): WindowThreshold => ({ count, windowMs: seconds * 1000 });
  return {
    authFailures: w(config.ANOMALY_AUTH_FAILURES, config.ANOMALY_AUTH_FAILURES_WINDOW_SECONDS),
    unknownPaths: w(config.ANOMALY_UNKNOWN_PATHS, config.ANOMALY_UNKNOWN_PATHS_WINDOW_SECONDS),
    attackProbes: w(config.ANOMALY_ATTACK_PROBES, config.ANOMALY_ATTACK_PROBES_WINDOW_SECONDS),
    scopeRefusals: w(config.ANOMALY_SCOPE_REFUSALS, config.ANOMALY_SCOPE_REFUSALS_WINDOW_SECONDS),
    quotaRefusals: w(config.ANOMALY_QUOTA_REFUSALS, config.ANOMALY_QUOTA_REFUSALS_WINDOW_SECONDS),
    spike: {
      factor: config.ANOMALY_SPIKE_FACTOR,
      minRequests: config.ANOMALY_SPIKE_MIN_REQUESTS,
      bucketMs: config.ANOMALY_SPIKE_BUCKET_SECONDS * 1000,
      baselineBuckets: config.ANOMALY_SPIKE_BASELINE_BUCKETS,
    },
  };
}
