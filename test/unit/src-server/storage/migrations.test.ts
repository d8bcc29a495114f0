import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateSqlite, SQLITE_MIGRATIONS } from '../../../../src-server/storage/migrations';
import { openSqliteStorage } from '../../../../src-server/storage/sqlite';
import { tempDir } from '../../../support/server-helpers';

describe('SQLite migrations', () => {
  const temps: { remove(): void }[] = [];
  afterEach(() => temps.splice(0).forEach((t) => t.remove()));
  const file = () => {
    const t = tempDir('depot-migrate-');
    temps.push(t);
    return path.join(t.dir, 'depot.sqlite');
  };

  it('records the version, and applies nothing twice', () => {
    const db = new Database(file());
    expect(migrateSqlite(db)).toBe(SQLITE_MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    expect(migrateSqlite(db)).toBe(0);
    db.close();
  });

  it('adopts a file made before versions were recorded, keeping its rows', async () => {
    const f = file();
    const old = new Database(f);
    old.exec(SQLITE_MIGRATIONS[0]!.sql);
    old.prepare("INSERT INTO dossiers (dossier, campaign_id) VALUES ('D-1', 'c1')").run();
    old.close();
    const storage = openSqliteStorage(f);
    expect(await storage.getDossier('D-1')).toMatchObject({ dossier: 'D-1', campaignId: 'c1' });
    await storage.close();
  });

  it('applies a later migration in order, and refuses a file from a newer server', () => {
    const db = new Database(file());
    const next = [...SQLITE_MIGRATIONS, { version: SQLITE_MIGRATIONS.length + 1, name: 'x', sql: 'CREATE TABLE x (a)' }];
    migrateSqlite(db);
    expect(migrateSqlite(db, next)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'x'").get()).toBeTruthy();
    expect(() => migrateSqlite(db, SQLITE_MIGRATIONS)).toThrow(/newer than this server/);
    db.close();
  });
});
