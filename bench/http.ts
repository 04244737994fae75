// A minimal keep-alive HTTP client on node:http: no dependency beyond Node, and the same client
// drives the platform and the baseline so its own cost cancels out of the ratio.
import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpClient {
  request(method: string, path: string, options?: { headers?: http.OutgoingHttpHeaders; body?: string }): Promise<HttpResponse>;
  close(): void;
}

export function httpClient(baseUrl: string, maxSockets: number): HttpClient {
  const url = new URL(baseUrl);
  // Sockets are reused across requests, as a browser or reverse proxy would; connection setup is
  // not what the benchmarks measure.
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    request(method, path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = http.request(
          { agent, host: url.hostname, port: url.port, method, path, headers: options.headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(options.body);
      });
    },
    close: () => agent.destroy(),
  };
}
