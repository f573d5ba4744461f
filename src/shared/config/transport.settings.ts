import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import path from 'node:path';
import { type Settings, toInt } from './settings.js';

/** Listeners, TLS and transport limits of both planes (src/shared/http/transport-limits.ts): who may connect, with which certificates, for how long and how much. */
export function TransportSettings<Base extends Settings>(base: Base) {
  class Transport extends base {
    @IsString()
    HOST = '127.0.0.1';

    /**
     * Processes serving the planes (node:cluster: they share the ports; set it to the number of
     * cores). Above 1 it needs REDIS_URL (quotas and detector counts shared between them) and
     * DATABASE_URL (the embedded database is one process's). Each process opens its own pools.
     */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(64)
    WORKERS = 1;

    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(65535)
    DATA_PLANE_PORT = 8443;

    @IsString()
    TLS_CA_CERT = path.resolve('certs-dev/ca/ca.crt.pem');

    @IsString()
    TLS_CA_KEY = path.resolve('certs-dev/ca/ca.key.pem');

    @IsString()
    TLS_SERVER_CERT = path.resolve('certs-dev/server/server.crt.pem');

    @IsString()
    TLS_SERVER_KEY = path.resolve('certs-dev/server/server.key.pem');

    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(65535)
    CONTROL_PLANE_PORT = 8080;

    /**
     * Reverse proxies in front of the control plane (comma-separated addresses or CIDR blocks) whose
     * X-Forwarded-For is believed. Unset: the TCP peer is the source address (the sign-in throttle
     * and back-off count per source, so behind an unlisted proxy every caller would share one).
     */
    @IsOptional()
    @Matches(/^[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*$/, { message: 'must be comma-separated IP addresses or CIDR blocks' })
    CONTROL_PLANE_TRUSTED_PROXIES?: string;

    @Transform(toInt)
    @IsInt()
    @Min(1024)
    ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

    @Transform(toInt)
    @IsInt()
    @Min(1024)
    JSON_BODY_MAX_BYTES = 16 * 1024 * 1024;

    // ---- Transport limits ----
    // Sockets cost a file descriptor each whether or not they ever speak: without these, anyone
    // could hold the mTLS port open without a certificate until the process runs out of them.

    /** A socket that has not completed TLS within this is closed (Node's default: 120 s). */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(60_000)
    TLS_HANDSHAKE_TIMEOUT_MS = 5000;

    /** After TLS, the request line and headers must arrive within this (then 408 and close). */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(300_000)
    HTTP_HEADERS_TIMEOUT_MS = 10_000;

    /** The whole request, body included, must arrive within this: room for a 20 MB upload at ~2 Mbit/s. */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(3_600_000)
    HTTP_REQUEST_TIMEOUT_MS = 120_000;

    /** An idle keep-alive socket between requests is closed after this. */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(300_000)
    HTTP_KEEP_ALIVE_TIMEOUT_MS = 10_000;

    /**
     * TCP load balancers (comma-separated addresses or CIDR blocks) that open every socket with a
     * PROXY protocol header (v1 or v2) naming the caller: on both planes, a socket from one of these
     * must start with a valid header within TLS_HANDSHAKE_TIMEOUT_MS or is closed, and the caller's
     * address is then the source address everywhere (allowed-source rule, detector, audit log,
     * sign-in throttle, MAX_CONNECTIONS_PER_ADDRESS). Sockets from other addresses are unaffected.
     * Unset: no PROXY protocol. See docs/production.md.
     */
    @IsOptional()
    @Matches(/^[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*$/, { message: 'must be comma-separated IP addresses or CIDR blocks' })
    PROXY_PROTOCOL_FROM?: string;

    /** Open sockets of one source address on one plane; more are closed as they arrive. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    MAX_CONNECTIONS_PER_ADDRESS = 100;

    /** Open sockets of one plane in all; keep 2 × this + DATABASE_POOL_SIZE + ~100 under `ulimit -n`. */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    MAX_CONNECTIONS = 2000;
  }
  return Transport;
}
