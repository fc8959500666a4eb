// A real HTTP server on 127.0.0.1 standing in for Spreeflo's Ping API, as the
// platform page describes it (docs: /work/shared/spreeflo-platform.md).
//
//   GET /v1/ping  Authorization: Bearer <key>
//
// It rate-limits per client (remote address) with a sliding one-second window and
// can inject faults per key: transient 503s, cut connections, slow answers and
// requests it holds open and never answers.
// It records every request it sees; tests must never print `requests[].key`
// (use `redacted` for messages).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeKeyState = 'live' | 'plan_restricted' | 'revoked';

export interface FakeKey {
  key: string;
  state: FakeKeyState;
  name: string;
  id?: string;
  account?: { id: string; name: string; plan: string };
  createdAt?: string;
}

/**
 * A per-key fault switch. A Map gives, per key, how many of its first calls get
 * the fault; a function is asked for every call (`call` counts from 1 per key).
 */
export type FaultCount = Map<string, number> | ((key: string, call: number) => boolean);
/** A per-key delay in ms before answering: a Map (every call) or a function per call. */
export type FaultDelay = Map<string, number> | ((key: string, call: number) => number);

export interface FakeSpreefloOptions {
  keys: FakeKey[];
  /** Port on 127.0.0.1; default: any free one. */
  port?: number;
  /** Requests per second per client before 429 (sliding 1 s window). Default 10. */
  rateLimitPerSecond?: number;
  faults?: {
    /** Answer 503 instead of the real answer. */
    transient503?: FaultCount;
    /** Destroy the socket without answering (the client sees ECONNRESET / socket hang up). */
    cutConnection?: FaultCount;
    /** Wait this long before answering. */
    slowMs?: FaultDelay;
    /** Read the request, then never answer (the connection stays open until close()). */
    neverAnswer?: FaultCount;
  };
}

export interface RecordedRequest {
  key: string;
  /** A printable form of the key. */
  redacted: string;
  /** HTTP status sent; 0 when the connection was cut or left unanswered on purpose. */
  status: number;
  /** ms since the server started (performance clock), when the request arrived. */
  at: number;
  /** false when the client had gone (timed out) before the answer was written. */
  delivered: boolean;
}

export interface FakeSpreeflo {
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  /** Count of recorded requests per status. */
  countStatus(status: number): number;
  /** How many times each key got a definitive answer (200/401/403), delivered. */
  answersPerKey(): Map<string, number>;
}

export function redactForTest(key: string): string {
  return key.length <= 12 ? '…' : `${key.slice(0, 8)}…${key.slice(-4)}`;
}

function faultHits(spec: FaultCount | undefined, key: string, call: number): boolean {
  if (!spec) return false;
  if (typeof spec === 'function') return spec(key, call);
  return call <= (spec.get(key) ?? 0);
}

function faultDelay(spec: FaultDelay | undefined, key: string, call: number): number {
  if (!spec) return 0;
  if (typeof spec === 'function') return spec(key, call);
  return spec.get(key) ?? 0;
}

export async function startFakeSpreeflo(opts: FakeSpreefloOptions): Promise<FakeSpreeflo> {
  const limit = opts.rateLimitPerSecond ?? 10;
  const faults = opts.faults ?? {};
  const byKey = new Map(opts.keys.map((k) => [k.key, k]));
  const callsPerKey = new Map<string, number>();
  // Served (non-429) request times per client, for the sliding window.
  const windows = new Map<string, number[]>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const t0 = performance.now();

  const server = http.createServer((req, res) => {
    const at = performance.now() - t0;
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(auth);
    const key = match?.[1] ?? '';

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const delivered = !res.destroyed && !req.socket.destroyed;
      requests.push({ key, redacted: redactForTest(key), status, at, delivered });
      if (!delivered) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };

    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'GET' || url.pathname !== '/v1/ping') {
      send(404, { error: { code: 'not_found', message: 'No such endpoint.' } });
      return;
    }

    // Rate limit, per client, sliding 1 s window over served requests.
    const client = req.socket.remoteAddress ?? 'unknown';
    const now = performance.now();
    const win = (windows.get(client) ?? []).filter((t) => t > now - 1000);
    windows.set(client, win);
    if (win.length >= limit) {
      const waitMs = win[0]! + 1000 - now;
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      send(429, { error: { code: 'rate_limited' } }, { 'retry-after': String(retryAfter) });
      return;
    }
    win.push(now);

    if (!match) {
      send(401, { error: { code: 'invalid_api_key', message: 'Missing or malformed Authorization header.' } });
      return;
    }

    const call = (callsPerKey.get(key) ?? 0) + 1;
    callsPerKey.set(key, call);

    if (faultHits(faults.neverAnswer, key, call)) {
      requests.push({ key, redacted: redactForTest(key), status: 0, at, delivered: false });
      return;
    }

    const answer = () => {
      if (faultHits(faults.cutConnection, key, call)) {
        requests.push({ key, redacted: redactForTest(key), status: 0, at, delivered: false });
        req.socket.destroy();
        return;
      }
      if (faultHits(faults.transient503, key, call)) {
        send(503, { error: { code: 'service_unavailable', message: 'Try again later.' } });
        return;
      }
      const k = byKey.get(key);
      if (!k) {
        send(401, { error: { code: 'invalid_api_key', message: 'No such API key.' } });
        return;
      }
      const keyInfo = { id: k.id ?? `key_${k.key.slice(-8)}`, name: k.name, last4: k.key.slice(-4) };
      switch (k.state) {
        case 'live':
          send(200, {
            status: 'ok',
            key: { ...keyInfo, created_at: k.createdAt ?? '2025-03-02T10:00:00Z' },
            account: k.account ?? { id: 'acct_fake', name: 'Acme Marketing', plan: 'professional' },
          });
          return;
        case 'plan_restricted':
          send(403, {
            error: { code: 'plan_upgrade_required', message: 'The API needs the Professional plan.' },
            key: keyInfo,
          });
          return;
        case 'revoked':
          send(401, { error: { code: 'revoked_api_key', message: 'This API key has been revoked.' } });
          return;
      }
    };

    const delay = faultDelay(faults.slowMs, key, call);
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, delay);
      timers.add(timer);
    } else {
      answer();
    }
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    countStatus: (status) => requests.filter((r) => r.status === status).length,
    answersPerKey: () => {
      const out = new Map<string, number>();
      for (const r of requests) {
        if (r.delivered && (r.status === 200 || r.status === 401 || r.status === 403)) {
          out.set(r.key, (out.get(r.key) ?? 0) + 1);
        }
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
