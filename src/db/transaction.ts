// Writes that belong together run in one transaction: `transactions.run(async (tx) => …)` hands
// the same `tx` to each repository method that takes part. Outside src/db/ the handle is opaque,
// so no other code needs (or can use) Prisma's types.
import type { Db, DbTransaction } from './client.ts';

declare const transactionBrand: unique symbol;

/** An open transaction, passed to repository methods as their last argument. */
export interface Transaction {
  readonly [transactionBrand]: true;
}

export class Transactions {
  constructor(private readonly db: Db) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => work(tx as unknown as Transaction));
  }
}

/** The client a repository method runs on: the transaction's when it takes part in one. */
export function clientOf(db: Db, tx: Transaction | undefined): DbTransaction {
  return tx ? (tx as unknown as DbTransaction) : db;
}
