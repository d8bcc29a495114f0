import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStorage } from '../../../../src-server/storage/postgres';
import { storageContract } from '../../../support/storage-contract';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../../../support/postgres';

// The same contract suite as SQLite (test/unit/server-storage-sqlite.test.ts), each test on a
// fresh schema of one real cluster.
describe.runIf(postgresAvailable)('PostgreSQL storage', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  storageContract('PostgreSQL', async () => {
    const storage = await openPostgresStorage(await cluster.freshDatabaseUrl());
    return { storage, cleanup: () => storage.close() };
  });
});
