// How long a single durable commit takes on this machine's Postgres, nothing else running: one
// one-row INSERT after another, each its own transaction, so each waits for its WAL flush. A
// delivery is answered only after its commit, so a flush that stalls delays every delivery in
// flight; this shows how often the disk under Postgres does that by itself.
import type pg from 'pg';
import { quantileMs, round } from './system.ts';

export interface CommitLatency {
  seconds: number;
  commits: number;
  p50Ms: number;
  p99Ms: number;
  p99_9Ms: number;
  maxMs: number;
  /** Commits that took over 20 ms and over 100 ms. */
  over20Ms: number;
  over100Ms: number;
}

export async function measureCommitLatency(pool: pg.Pool, seconds: number): Promise<CommitLatency> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (n bigint)');
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const started = performance.now();
      await client.query('INSERT INTO bench_commit_probe VALUES ($1)', [latencies.length]);
      latencies.push(performance.now() - started);
    }
    await client.query('DROP TABLE bench_commit_probe');
    latencies.sort((a, b) => a - b);
    const at = (q: number) => quantileMs(latencies, q);
    return {
      seconds,
      commits: latencies.length,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      p99_9Ms: at(0.999),
      maxMs: round(latencies.at(-1)!, 1),
      over20Ms: latencies.filter((ms) => ms > 20).length,
      over100Ms: latencies.filter((ms) => ms > 100).length,
    };
  } finally {
    client.release();
  }
}
