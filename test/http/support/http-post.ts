/** A light keep-alive HTTP client (node:http), for load: fetch costs more CPU per request than the server does. */
import http from 'node:http';

export function createPoster(maxSockets = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
      const target = new URL(url);
      return new Promise((resolve, reject) => {
        const req = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
