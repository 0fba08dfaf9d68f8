import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny webhook receiver for tests: records every POST with its raw body and answers with
// whatever the responder says (200 by default).

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  at: number;
}

export type Responder = (delivery: ReceivedDelivery, index: number) => number | Promise<number>;

export interface WebhookReceiver {
  url: string;
  readonly received: readonly ReceivedDelivery[];
  setResponder(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(responder: Responder = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let respond = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery = {
        path: req.url ?? '/',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(delivery);
      Promise.resolve(respond(delivery, received.length - 1)).then(
        (status) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok'),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/dialer`,
    received,
    setResponder(next) {
      respond = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
