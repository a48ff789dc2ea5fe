import http from 'node:http';

// Requests from another client address: every 127.x.y.z address is this machine, so a socket
// bound to 127.0.0.2 reaches the test server as a second client (request.ip = 127.0.0.2).

/** A `fetch` for the SDK whose connections come from `localAddress`. */
export function fetchFrom(localAddress: string): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(new Headers(init?.headers));
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const request = http.request(url, { method: init?.method ?? 'GET', headers, localAddress, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 500, headers: responseHeaders }));
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  }) as typeof fetch;
}
