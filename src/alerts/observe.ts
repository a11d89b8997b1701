// Looks at the bridge's state, through its repositories and the Zoho quota, and says which
// problems hold right now (src/alerts/incident.ts). Each kind is looked at on its own: a kind
// that cannot be looked at this round is reported unknown, so its open incidents are not resolved.
import type { BackfillRunRepository } from '../db/backfill-runs.ts';
import type { EventRepository } from '../db/events.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { WebhookCheckRepository } from '../db/webhook-checks.ts';
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import { ZOHO_ENDPOINTS } from '../zoho-names.ts';
import type { ZohoQuota } from '../zoho/quota.ts';
import type { IncidentKind, Observation, OpenIncident } from './incident.ts';
import { judgeQuiet, QUIET_HISTORY_DAYS, QUIET_MIN_SILENCE_MS } from './quiet-store.ts';
import type { StorageRefusals } from './storage-refusals.ts';

const DAY_MS = 24 * 60 * 60_000;
/** How recent a refused delivery must be for the receiver to count as unable to store. */
const REFUSAL_RECENT_MS = 10 * 60_000;
const BACKFILL_LOOKBACK_MS = 7 * DAY_MS;

export interface ObserverSources {
  stores: StoreRepository;
  events: EventRepository;
  webhookChecks: WebhookCheckRepository;
  zohoConnection: ZohoConnectionRepository;
  backfillRuns: BackfillRunRepository;
  quota: ZohoQuota;
  refusals: StorageRefusals;
}

type Observer = (now: Date, open: readonly OpenIncident[]) => Promise<Observation[]>;

export interface ObservedState {
  observations: Observation[];
  unknownKinds: Set<IncidentKind>;
  /** Why a kind could not be looked at, for the log. */
  problems: Array<{ kind: IncidentKind; error: unknown }>;
}

export class AlertObserver {
  readonly #observers: Record<IncidentKind, Observer>;

  constructor(private readonly sources: ObserverSources) {
    this.#observers = {
      zoho_reconnect: () => this.#zohoReconnect(),
      woocommerce_webhooks: () => this.#webhooks(),
      store_quiet: (now) => this.#quietStores(now),
      changes_failed: (now) => this.#changesFailed(now),
      zoho_paused: (now) => this.#zohoPaused(now),
      receiver_storage: (now) => this.#receiverStorage(now),
      backfill: (now, open) => this.#backfills(now, open),
    };
  }

  async observe(now: Date, open: readonly OpenIncident[]): Promise<ObservedState> {
    const state: ObservedState = { observations: [], unknownKinds: new Set(), problems: [] };
    await Promise.all(
      Object.entries(this.#observers).map(async ([kind, observer]) => {
        try {
          state.observations.push(...(await observer(now, open)));
        } catch (error) {
          state.unknownKinds.add(kind as IncidentKind);
          state.problems.push({ kind: kind as IncidentKind, error });
        }
      }),
    );
    return state;
  }

  async #zohoReconnect(): Promise<Observation[]> {
    const connection = await this.sources.zohoConnection.get();
    if (connection?.state !== 'needs_reconnect') return [];
    const { waiting } = await this.sources.events.countPending();
    return [{ kind: 'zoho_reconnect', subject: 'zoho', details: { reason: connection.stateReason, waiting } }];
  }

  async #webhooks(): Promise<Observation[]> {
    const observations: Observation[] = [];
    for (const store of await this.sources.stores.list()) {
      const check = await this.sources.webhookChecks.latest(store.id);
      if (!check || check.ok) continue;
      const webhooks = Array.isArray(check.webhooks) ? (check.webhooks as Array<{ topic?: string; state?: string }>) : [];
      const topics = webhooks.filter((webhook) => webhook.state !== 'active' && webhook.topic).map((webhook) => `${webhook.topic} (${webhook.state})`);
      observations.push({ kind: 'woocommerce_webhooks', subject: store.id, details: { store: store.name, storeId: store.id, message: check.message, topics } });
    }
    return observations;
  }

  async #quietStores(now: Date): Promise<Observation[]> {
    const observations: Observation[] = [];
    for (const store of await this.sources.stores.list()) {
      const lastDeliveryAt = await this.sources.events.lastDeliveryAt(store.id);
      // The week's history is only read once the silence is long enough to matter.
      if (!lastDeliveryAt || now.getTime() - lastDeliveryAt.getTime() <= QUIET_MIN_SILENCE_MS) continue;
      const activeHours = await this.sources.events.activeHours(store.id, lastDeliveryAt, QUIET_HISTORY_DAYS);
      const verdict = judgeQuiet({ lastDeliveryAt, activeHours }, now);
      if (!verdict.quiet) continue;
      const { silentForMs, usualSilenceMs, activeDays } = verdict;
      observations.push({ kind: 'store_quiet', subject: store.id, details: { store: store.name, storeId: store.id, silentForMs, usualSilenceMs, activeDays } });
    }
    return observations;
  }

  async #changesFailed(now: Date): Promise<Observation[]> {
    const failed = await this.sources.events.failedSince(new Date(now.getTime() - DAY_MS));
    if (failed.count === 0) return [];
    // Reasons are Zoho's words and may quote an address: alerts carry no customer data.
    const topReasons = failed.reasons.map((entry) => `${entry.reason.replace(/[^\s@"'<>()]+@[^\s@"'<>()]+/g, 'an address').slice(0, 160)} (${entry.count})`);
    return [{ kind: 'changes_failed', subject: 'all', details: { count: failed.count, topReasons }, latestAt: failed.latestAt }];
  }

  async #zohoPaused(now: Date): Promise<Observation[]> {
    const observations: Observation[] = [];
    for (const endpoint of ZOHO_ENDPOINTS) {
      const lockedMs = await this.sources.quota.lockedFor(endpoint);
      if (lockedMs > 0) {
        observations.push({
          kind: 'zoho_paused',
          subject: endpoint,
          details: { endpoint, reason: 'locked', resumesAt: new Date(now.getTime() + lockedMs).toISOString() },
        });
        continue;
      }
      const full = await this.sources.quota.fullUntil(endpoint, DAY_MS);
      if (full)
        observations.push({
          kind: 'zoho_paused',
          subject: endpoint,
          details: { endpoint, reason: 'daily', limit: full.limit, resumesAt: full.until.toISOString() },
        });
    }
    return observations;
  }

  async #receiverStorage(now: Date): Promise<Observation[]> {
    const refusals = await this.sources.refusals.read();
    if (!refusals || now.getTime() - refusals.lastAt.getTime() > REFUSAL_RECENT_MS) return [];
    return [{ kind: 'receiver_storage', subject: 'deliveries', details: { refused: refusals.count, since: refusals.firstAt.toISOString() } }];
  }

  async #backfills(now: Date, open: readonly OpenIncident[]): Promise<Observation[]> {
    const { backfillRuns, stores } = this.sources;
    const storeNames = new Map((await stores.list()).map((store) => [store.id, store.name]));
    const stoppedOpen = open.filter((incident) => incident.kind === 'backfill').map((incident) => BigInt(incident.subject.split(':')[0]!));
    const runs = [...(await backfillRuns.endedRecently(new Date(now.getTime() - BACKFILL_LOOKBACK_MS))), ...(await backfillRuns.stillInterrupted(stoppedOpen))];
    const seen = new Set<string>();
    const observations: Observation[] = [];
    for (const run of runs) {
      const subject = `${run.id}:${run.status === 'done' ? 'done' : 'stopped'}`;
      if (seen.has(subject)) continue;
      seen.add(subject);
      const details = {
        store: storeNames.get(run.storeId) ?? run.storeId,
        storeId: run.storeId,
        what: run.kind,
        status: run.status,
        items: run.itemsQueued,
        pages: run.pagesDone,
        error: run.lastError,
      };
      observations.push({ kind: 'backfill', subject, details, notice: run.status === 'done' });
    }
    return observations;
  }
}
