// Repository for settings_applies: one "apply settings to everyone" of a store, advanced a page of
// contacts at a time so a run the worker lost resumes after the last contact it handed over.
import type { SettingsApply } from './generated/client.ts';
import type { Db } from './client.ts';

/** running (or its process died); paused and cancelled by the owner; interrupted by an error; done. */
export type SettingsApplyStatus = 'running' | 'paused' | 'interrupted' | 'done' | 'cancelled';

const UNFINISHED = ['running', 'paused', 'interrupted'];

export class SettingsApplyRepository {
  constructor(private readonly db: Db) {}

  start(storeId: string, fingerprint: string, total: number): Promise<SettingsApply> {
    return this.db.settingsApply.create({ data: { storeId, fingerprint, total, status: 'running' } });
  }

  find(id: bigint): Promise<SettingsApply | null> {
    return this.db.settingsApply.findUnique({ where: { id } });
  }

  /** The store's newest run, finished or not. */
  latest(storeId: string): Promise<SettingsApply | null> {
    return this.db.settingsApply.findFirst({ where: { storeId }, orderBy: { id: 'desc' } });
  }

  /** Records the contacts up to `afterContactId` as handed over. */
  async advance(id: bigint, afterContactId: bigint): Promise<void> {
    await this.db.settingsApply.update({ where: { id }, data: { afterContactId } });
  }

  async finish(id: bigint): Promise<void> {
    await this.db.settingsApply.updateMany({ where: { id, status: 'running' }, data: { status: 'done', finishedAt: new Date(), lastError: null } });
  }

  /** Records why a running run stopped; one the owner paused or cancelled keeps that status. */
  async interrupt(id: bigint, error: string): Promise<void> {
    await this.db.settingsApply.updateMany({ where: { id, status: 'running' }, data: { status: 'interrupted', lastError: error } });
  }

  /** Stops a running run for good, saying why. */
  async cancel(id: bigint, reason: string): Promise<void> {
    await this.db.settingsApply.updateMany({ where: { id, status: 'running' }, data: { status: 'cancelled', finishedAt: new Date(), lastError: reason } });
  }

  /** The owner pauses, resumes or cancels the store's unfinished run; returns the run changed. */
  async setUnfinishedStatus(storeId: string, status: 'running' | 'paused' | 'cancelled'): Promise<SettingsApply | undefined> {
    const run = await this.db.settingsApply.findFirst({ where: { storeId, status: { in: UNFINISHED } }, orderBy: { id: 'desc' } });
    if (!run) return undefined;
    const { count } = await this.db.settingsApply.updateMany({
      where: { id: run.id, status: { in: UNFINISHED } },
      data: { status, ...(status === 'cancelled' ? { finishedAt: new Date() } : { lastError: null }) },
    });
    return count > 0 ? { ...run, status } : undefined;
  }

  /** Unfinished runs are replaced by a new one (the owner started again with other settings). */
  async cancelUnfinished(storeId: string): Promise<void> {
    await this.db.settingsApply.updateMany({ where: { storeId, status: { in: UNFINISHED } }, data: { status: 'cancelled', finishedAt: new Date() } });
  }

  /** Runs that should be going: after a restart of the worker they continue. */
  running(): Promise<SettingsApply[]> {
    return this.db.settingsApply.findMany({ where: { status: 'running' }, orderBy: { id: 'asc' } });
  }
}
