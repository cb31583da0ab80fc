import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX, dbKey, openChainDB } from './db.js';
import { tempDB } from './testing/temp-db.js';

test('a database in the older layout (blocks in the main database) is refused with what to do', async () => {
  const t = await tempDB('trucom-db-old-');
  try {
    await t.db.put(dbKey(PREFIX.meta, 'block_height'), Buffer.from('12'));
    await t.db.close();
    await assert.rejects(openChainDB(t.dir), /older storage layout; delete it/);
  } finally {
    await t.destroy();
  }
});
