/**
 * A local stand-in for the Bot Connector (Azure's service, the only fake of the CloudAdapter
 * tests): the REST surface a CloudAdapter calls to reply and to send to a conversation. Point an
 * activity's `serviceUrl` at `url`; every activity the bot sends is in `posted`, in order.
 *
 * @example
 * const connector = await startConnector();
 * await adapter.process({ body: { ...activity, serviceUrl: connector.url }, headers: {}, method: 'POST' }, res, logic);
 * connector.posted.map((p) => p.activity.text);
 * await connector.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

/** One activity the bot sent, and the path it went to (`/v3/conversations/<id>/activities[/<replyToId>]`). */
export interface Posted {
  readonly path: string;
  readonly activity: Partial<Activity>;
}

/** The Bot Connector's REST surface the adapter calls: replies and sends to a conversation. */
export async function startConnector(): Promise<{ url: string; posted: Posted[]; close(): Promise<void> }> {
  const posted: Posted[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      posted.push({ path: req.url ?? '', activity: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity> });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `sent-${++n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
