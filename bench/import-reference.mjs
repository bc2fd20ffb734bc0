// The reference loader of `npm run bench scale`: what a plain better-sqlite3 script does with a
// transitions CSV (node import-reference.mjs CSV DB STREAM MAP_JSON). A line reader, split at
// commas (papaparse only for a line with a quote), one map of key → id, two prepared inserts,
// one transaction, the store's pragmas. No validation beyond what SQLite does. Prints the counts.
import { readFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import Papa from 'papaparse';

const [csvPath, dbPath, stream, mapPath] = process.argv.slice(2);
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('synchronous = NORMAL');
const now = Date.now();
const insertStream = db.prepare('INSERT INTO value_stream (name, map_json, created_at) VALUES (?, ?, ?)');
const insertItem = db.prepare(
  'INSERT INTO work_item (stream_id, source, key, type, title, parent_key, is_epic, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const insertTransition = db.prepare('INSERT OR IGNORE INTO "transition" (item_id, from_status, to_status, at, source) VALUES (?, ?, ?, ?, ?)');

db.exec('BEGIN');
const streamId = Number(insertStream.run(stream, readFileSync(mapPath, 'utf8'), now).lastInsertRowid);
const ids = new Map();
let header = true;
let items = 0;
let transitions = 0;
for await (const line of createInterface({ input: createReadStream(csvPath), crlfDelay: Number.POSITIVE_INFINITY })) {
  if (header) {
    header = false;
    continue;
  }
  if (line === '') continue;
  const [key, type, title, parent, createdAt, from, to, at] = line.includes('"') ? Papa.parse(line).data[0] : line.split(',');
  let id = ids.get(key);
  if (id === undefined) {
    const epic = type === 'epic';
    id = Number(insertItem.run(streamId, 'import', key, epic ? 'feature' : type, title, parent || null, epic ? 1 : 0, Date.parse(createdAt), now).lastInsertRowid);
    ids.set(key, id);
    items += 1;
  }
  if (to) transitions += insertTransition.run(id, from, to, Date.parse(at), 'import').changes;
}
db.exec('COMMIT');
db.close();
process.stdout.write(`${JSON.stringify({ items, transitions })}\n`);
