// This bridge's installation id, and its claim on REDIS_PREFIX. Two bridges with different
// databases sharing one prefix would take each other's jobs and sync the event with that id from
// their own database. So the first bridge to use a prefix writes its id under
// `<prefix>:installation`; another installation refuses to start there, and every job carries the
// id of the installation that queued it (docs/security.md, "Two bridges on one Redis").
import type { RedisClient } from '../redis/connection.ts';
import type { InstallationRepository } from '../db/installation.ts';

export class RedisPrefixClashError extends Error {
  constructor(prefix: string, ownId: string, otherId: string) {
    super(
      `REDIS_PREFIX "${prefix}" is already used by another bridge installation (${otherId}); this one is ${ownId}. ` +
        "Two bridges with different databases must not share a prefix: they would take each other's jobs. " +
        `Give this bridge its own REDIS_PREFIX, or, if the other installation is gone for good, delete the Redis key "${prefix}:installation".`,
    );
    this.name = 'RedisPrefixClashError';
  }
}

export class InstallationIdentity {
  #id: string | undefined;

  constructor(
    private readonly installations: InstallationRepository,
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The id; read from the database at start (load), before anything is queued. */
  get id(): string {
    if (this.#id === undefined) throw new Error('The installation id is not loaded yet (InstallationIdentity.load runs at start).');
    return this.#id;
  }

  async load(): Promise<string> {
    this.#id ??= await this.installations.idOrCreate();
    return this.#id;
  }

  get redisKey(): string {
    return `${this.prefix}:installation`;
  }

  /** Writes this installation's id under the prefix, unless another installation's is there: then throws. */
  async claimRedisPrefix(): Promise<void> {
    const id = await this.load();
    await this.redis.set(this.redisKey, id, 'NX');
    const owner = await this.redis.get(this.redisKey);
    if (owner !== null && owner !== id) throw new RedisPrefixClashError(this.prefix, id, owner);
  }

  /** Whether a job's installation is another one (jobs queued before installation ids carry none: they are this one's). */
  isForeign(jobInstallation: string | undefined): boolean {
    return jobInstallation !== undefined && jobInstallation !== this.id;
  }
}
