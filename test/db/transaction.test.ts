// Writes that belong together commit together: repositories given the same transaction handle
// (src/db/transaction.ts) are undone together when the work fails, and seen together when it ends.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminAccountRepository } from '../../src/db/admin-account.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { OwnerSessionRepository } from '../../src/db/owner-sessions.ts';
import { Transactions } from '../../src/db/transaction.ts';
import { createTestDatabase, type TestDatabase } from '../../tools/support/database.ts';

describe('Transactions', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let accounts: AdminAccountRepository;
  let sessions: OwnerSessionRepository;
  let transactions: Transactions;

  before(async () => {
    testDatabase = await createTestDatabase();
    database = createDatabase(testDatabase.url);
    accounts = new AdminAccountRepository(database.db);
    sessions = new OwnerSessionRepository(database.db);
    transactions = new Transactions(database.db);
    await accounts.setPasswordHash('first-hash');
    await sessions.create('a'.repeat(64), new Date());
  });
  after(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('undoes every repository write made with the handle when the work fails', async () => {
    await assert.rejects(
      transactions.run(async (tx) => {
        await accounts.setPasswordHash('second-hash', tx);
        assert.equal(await sessions.deleteAll(tx), 1, 'the session is deleted inside the transaction');
        throw new Error('fails after both writes');
      }),
      /fails after both writes/,
    );
    assert.equal((await accounts.get())?.passwordHash, 'first-hash');
    assert.ok(await sessions.find('a'.repeat(64)), 'the session is still there');
  });

  it('commits both writes when the work ends', async () => {
    await transactions.run(async (tx) => {
      await accounts.setPasswordHash('second-hash', tx);
      await sessions.deleteAll(tx);
    });
    assert.equal((await accounts.get())?.passwordHash, 'second-hash');
    assert.equal(await sessions.find('a'.repeat(64)), null);
  });
});
