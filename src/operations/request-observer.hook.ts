import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { gatewayLog } from './gateway-logger.js';
import { type Plane, requestMetrics, UNMATCHED_ROUTE } from './request-metrics.js';

/**
 * One `onResponse` hook per plane, after the answer has gone (it delays no client): counts the
 * request into the Prometheus series and writes its access line. Synchronous and callback-style:
 * no promise or microtask turn per request on the data plane's hot path.
 *
 * The access line holds the request id, plane, method, route pattern (never the raw URL, whose
 * query may carry values), status, outcome, error code, duration and connection id — no headers,
 * tokens or bodies.
 */
export function registerRequestObserver(fastify: FastifyInstance, plane: Plane, config: Pick<GatewayConfig, 'LOG_LEVEL'>): void {
  const log = gatewayLog(config.LOG_LEVEL).child({ plane });
  const logging = log.isLevelEnabled('info');
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const connection = request.principal?.connectionId ?? '';
    const elapsedMs = reply.elapsedTime;
    requestMetrics.observe(plane, request.method, route, status, connection, elapsedMs / 1000, request.errorCode);
    if (logging) {
      log.info({
        msg: 'access',
        requestId: String(request.id),
        method: request.method,
        route,
        status,
        outcome: status >= 500 ? 'failed' : status >= 400 ? 'rejected' : 'success',
        errorCode: request.errorCode ?? null,
        durationMs: Math.round(elapsedMs * 10) / 10,
        connection: connection || null,
      });
    }
    done();
  });
}
