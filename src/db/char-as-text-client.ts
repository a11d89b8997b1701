// A pg client for the schema engine's connections (see engine-connections.ts).
import pg from 'pg';

// Postgres's internal one-byte "char" type, and text.
const CHAR_OID = 18;
const TEXT_OID = 25;

type Callback = (error: Error | null, result: unknown) => void;

/**
 * A pg client that reports columns of Postgres's internal one-byte "char" type as text.
 *
 * The schema engine reads catalog columns of that type (pg_constraint.contype, for one) when it
 * inspects a database, and PrismaPg 7.10 refuses every query returning one as an unsupported
 * column type. pg already decodes those values as one-character strings, which is what text means
 * to the adapter, so only the reported type changes.
 */
export class CharAsTextClient extends pg.Client {
  // pg's overloads cannot be restated one by one here; the three call shapes it accepts (promise,
  // callback as second or third argument) are forwarded unchanged apart from the result.
  // biome-ignore lint/suspicious/noExplicitAny: pg's query overloads have no single signature to restate.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof values === 'function') return super.query(config, relabelOnCallback(values));
    if (typeof callback === 'function') return super.query(config, values, relabelOnCallback(callback));
    const pending = super.query(config, values);
    // A promise (of pg's configured Promise class), or the query object when one was submitted.
    return typeof pending?.then === 'function' ? pending.then(labelCharColumnsAsText) : pending;
  }
}

function relabelOnCallback(callback: Callback): Callback {
  return (error, result) => callback(error, error ? result : labelCharColumnsAsText(result));
}

/** Takes one result, or the array of results of a multi-statement query. */
function labelCharColumnsAsText<T>(result: T): T {
  for (const single of Array.isArray(result) ? result : [result]) {
    for (const field of (single as Partial<pg.QueryResult> | undefined)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}
