import path from 'node:path';
import { openSqliteStorage } from '../../../../src-server/storage/sqlite';
import { storageContract } from '../../../support/storage-contract';
import { tempDir } from '../../../support/server-helpers';

storageContract('SQLite', async () => {
  const temp = tempDir('depot-sqlite-');
  const storage = openSqliteStorage(path.join(temp.dir, 'test.sqlite'));
  return {
    storage,
    async cleanup() {
      await storage.close();
      temp.remove();
    },
  };
});
