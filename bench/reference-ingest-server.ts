/**
 * The bare reference the webhook bench compares flow-nudge's inbox with (issue 18): node:http,
 * the same check Jira deliveries get (HMAC-SHA256 of the raw body against `X-Hub-Signature`,
 * compared in constant time) and one INSERT of the raw delivery into the same table, with the
 * same uniqueness on (source, delivery id), on a store migrated by flow-nudge itself. SQLite
 * through a better-sqlite3 prepared statement (WAL, synchronous=NORMAL, as the store opens it);
 * Postgres through a pg pool of 10. No routing, no limits, no logging, no group commit: what
 * "receive, verify, store, answer 202" costs at the least. Prints `LISTENING <port>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { openStore } from '../src/store/database.ts';
import { SECRETS } from '../test/http/support/test-server.ts';

const url = process.env.DATABASE_URL ?? '';
// flow-nudge's migrations make the schema; the reference then writes with its own driver
const migrated = await openStore(url);
let insert: (source: string, id: string, headers: string, body: string) => Promise<void>;
if (migrated.sqlite) {
  const statement = migrated.sqlite.prepare(
    `INSERT INTO webhook_delivery (source, delivery_id, received_at, headers_json, raw_body, state, attempts) VALUES (?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (source, delivery_id) DO NOTHING`,
  );
  insert = async (source, id, headers, body) => void statement.run(source, id, Date.now(), headers, body);
} else {
  await migrated.close();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  insert = async (source, id, headers, body) =>
    void (await pool.query(
      `INSERT INTO webhook_delivery (source, delivery_id, received_at, headers_json, raw_body, state, attempts) VALUES ($1, $2, $3, $4, $5, 'pending', 0) ON CONFLICT (source, delivery_id) DO NOTHING`,
      [source, id, Date.now(), headers, body],
    ));
}

const secret = SECRETS.JIRA_SECRET;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-hub-signature'] ?? '').replace(/^sha256=/, ''), 'hex');
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const id = String(req.headers['x-atlassian-webhook-identifier'] ?? '');
    insert('jira', id, JSON.stringify({ 'x-atlassian-webhook-identifier': id }), raw.toString('utf8')).then(
      () => res.writeHead(202).end(),
      () => res.writeHead(503).end(),
    );
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
