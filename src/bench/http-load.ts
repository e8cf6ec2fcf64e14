import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Loopback HTTP harness: a load driver with a fixed request count and concurrency (keep-alive
 * connections), and a bare node:http server that runs the same query and serialises JSON, the
 * baseline for the app's Fastify routes (e.g. the dashboard overview).
 */
export interface LoadResult {
  requests: number;
  concurrency: number;
  ms: number;
  perSecond: number;
  statuses: Record<string, number>;
  /** Body of the first response, to compare app and baseline. */
  firstBody: string;
}

export async function loadTest(
  url: string,
  opts: { requests: number; concurrency: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const statuses: Record<string, number> = {};
  let next = 0;
  let firstBody = '';
  const one = () =>
    new Promise<void>((ok, fail) => {
      const req = request(url, { agent, headers: opts.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
          if (!firstBody) firstBody = Buffer.concat(chunks).toString('utf8');
          ok();
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });
  const worker = async () => {
    while (next < opts.requests) {
      next++;
      await one();
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  agent.destroy();
  return {
    requests: opts.requests,
    concurrency: opts.concurrency,
    ms,
    perSecond: (opts.requests * 1000) / ms,
    statuses,
    firstBody,
  };
}

/** A bare node:http server: the handler runs the query; the result is serialised with JSON.stringify. */
export async function bareJsonServer(
  handler: (url: URL) => Promise<unknown>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handler(new URL(req.url ?? '/', 'http://127.0.0.1')).then(
      (body) => {
        const text = JSON.stringify(body);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      (e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String((e as Error)?.message ?? e));
      },
    );
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
