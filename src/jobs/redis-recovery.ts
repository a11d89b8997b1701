// What a worker does when its Redis connection comes back after an outage. Redis may return
// without its data (no persistence, a failover to an empty replica), taking with it the queued
// jobs and the job schedulers that run the sweeper. So the worker re-creates the schedulers and
// sweeps at once: every stored event that is not in the queue is queued again from Postgres.
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClient } from '../redis/connection.ts';

/** The producer connection may come back a moment after this one: try a few times. */
const CATCH_UP_TRIES = 10;
const CATCH_UP_RETRY_MS = 1_000;

export interface CatchUpSteps {
  reschedule(): Promise<void>;
  /** Returns how many events it queued. */
  sweep(): Promise<number>;
}

/** Watches `connection`; returns a function that stops watching (and any catch-up in progress). */
export function catchUpAfterRedisOutages(connection: RedisClient, steps: CatchUpSteps, log: FastifyBaseLogger): () => void {
  let down = false;
  let stopped = false;

  const onClose = () => {
    if (down || stopped) return;
    down = true;
    log.error('Redis connection lost: deliveries are still stored in Postgres and answered; they are queued when Redis is back');
  };
  const onReady = () => {
    if (!down || stopped) return;
    down = false;
    void catchUp();
  };

  async function catchUp(): Promise<void> {
    for (let attempt = 1; attempt <= CATCH_UP_TRIES && !stopped && !down; attempt++) {
      try {
        await steps.reschedule();
        const queued = await steps.sweep();
        log.info({ queued }, 'Redis is back: schedulers restored and every stored event not in the queue was queued');
        return;
      } catch (error) {
        if (attempt === CATCH_UP_TRIES) {
          log.warn({ err: error }, 'Catching up after the Redis outage failed; the next scheduled sweep will do it');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS));
      }
    }
  }

  connection.on('close', onClose);
  connection.on('ready', onReady);
  return () => {
    stopped = true;
    connection.off('close', onClose);
    connection.off('ready', onReady);
  };
}
