/** The import's SQLite writer: better-sqlite3 prepared statements, one per row, one select per batch for the keys not met yet. */
import type BetterSqlite3 from 'better-sqlite3';
import { changedHistory, newState, ownKey, unmetItems, type ImportContext, type ImportWriter } from './import-writer.ts';
import { lastMoveChanged, lastMoveOf, nextLastMove, NO_MOVE } from './item-last-move.ts';
import { bumpStreamVersionSqlite } from './stream-version.ts';
import { checkItem, importedValues, sameValues, toFromStatus, type WorkItemRowValues } from './work-item-rows.ts';

type ExistingRow = WorkItemRowValues & { id: number; key: string };

export function sqliteWriter(sqlite: BetterSqlite3.Database, c: ImportContext): ImportWriter {
  // keys of the batch that are stored already: one select per batch, none when the stream had no items
  const selectExisting = sqlite.prepare<[number, string], ExistingRow>(
    `SELECT id, key, type, title, parent_key, is_epic, created_at, anticipated_outcome, actual_outcome
       FROM work_item WHERE stream_id = ? AND key IN (SELECT value FROM json_each(?))`,
  );
  const insertItem = sqlite.prepare(
    `INSERT INTO work_item (stream_id, source, key, type, title, parent_key, is_epic, created_at,
       anticipated_outcome, actual_outcome, updated_at, last_moved_at, last_status)
     VALUES (@stream_id, @source, @key, @type, @title, @parent_key, @is_epic, @created_at,
       @anticipated_outcome, @actual_outcome, @updated_at, @last_moved_at, @last_status)`,
  );
  const selectLastMove = sqlite.prepare<[number], { last_moved_at: number | null; last_status: string | null }>(
    `SELECT last_moved_at, last_status FROM work_item WHERE id = ?`,
  );
  const setLastMove = sqlite.prepare(`UPDATE work_item SET last_moved_at = ?, last_status = ? WHERE id = ?`);
  const updateItem = sqlite.prepare(
    `UPDATE work_item SET type = @type, title = @title, parent_key = @parent_key, is_epic = @is_epic,
       created_at = @created_at, anticipated_outcome = @anticipated_outcome, actual_outcome = @actual_outcome,
       updated_at = @updated_at
     WHERE id = @id`,
  );
  const insertTransition = sqlite.prepare(
    `INSERT OR IGNORE INTO "transition" (item_id, from_status, to_status, at, source) VALUES (?, ?, ?, ?, ?)`,
  );
  const touchItem = sqlite.prepare(`UPDATE work_item SET updated_at = ? WHERE id = ?`);
  const insertFlag = sqlite.prepare(`INSERT OR IGNORE INTO item_flag (item_id, at, flag, is_set, source) VALUES (?, ?, ?, ?, ?)`);
  const streamHadItems = sqlite.prepare(`SELECT 1 FROM work_item WHERE stream_id = ? LIMIT 1`).get(c.streamId) !== undefined;
  const state = newState();
  const { ids, untouched, result } = state;

  return {
    async write(items) {
      for (const item of items) checkItem(item);
      const unmet = unmetItems(items, ids);
      const existing = new Map<string, ExistingRow>();
      if (streamHadItems && unmet.length > 0) {
        for (const row of selectExisting.all(c.streamId, JSON.stringify(unmet.map((item) => item.key)))) existing.set(row.key, row);
      }
      for (const item of items) {
        let id = ids.get(item.key);
        // an item inserted here gets its last move with the row; one stored before, after its transitions
        let inserted = false;
        if (id === undefined) {
          const row = existing.get(item.key);
          const values = importedValues(item, row);
          if (!row) {
            const last = nextLastMove(NO_MOVE, item.transitions);
            id = Number(
              insertItem.run({ ...values, stream_id: c.streamId, source: c.source, key: item.key, updated_at: c.now, last_moved_at: last.at, last_status: last.status })
                .lastInsertRowid,
            );
            inserted = true;
            result.itemsAdded += 1;
          } else {
            id = row.id;
            if (!sameValues(row, values)) {
              updateItem.run({ ...values, id, updated_at: c.now });
              result.itemsUpdated += 1;
            } else untouched.add(id);
          }
          ids.set(ownKey(item.key), id);
        }
        let added = 0;
        for (const t of item.transitions) added += insertTransition.run(id, toFromStatus(t.from), t.to, t.at, c.source).changes;
        if (added > 0 && !inserted) {
          const before = lastMoveOf(selectLastMove.get(id)!);
          const after = nextLastMove(before, item.transitions);
          if (lastMoveChanged(before, after)) setLastMove.run(after.at, after.status, id);
        }
        let flagsAdded = 0;
        for (const f of item.flags ?? []) flagsAdded += insertFlag.run(id, f.at, f.flag, f.on ? 1 : 0, c.source).changes;
        if (added + flagsAdded > 0 && untouched.delete(id)) touchItem.run(c.now, id);
        result.transitionsAdded += added;
        result.flagsAdded += flagsAdded;
      }
    },
    get itemsMet() {
      return ids.size;
    },
    async finish() {
      if (changedHistory(result)) bumpStreamVersionSqlite(sqlite, c.streamId);
      return { ...result };
    },
  };
}
