// The use case run every minute by the worker: look at the bridge's state, decide which incidents
// open, remind, send a digest or resolve (src/alerts/plan.ts), and record each decision together
// with its message in Postgres. Sending is separate (src/alerts/send-messages.ts), so a slow mail
// server never holds up a decision, and a decision is never taken twice.
import type { AlertIncidentRepository, IncidentRow } from '../db/alert-incidents.ts';
import { isStorageOutage } from '../db/outage.ts';
import type { DatabaseOutageAlerts } from './database-outage.ts';
import { isIncidentKind, type IncidentDetails, type OpenIncident } from './incident.ts';
import type { AlertObserver } from './observe.ts';
import { planIncidents, type IncidentAction } from './plan.ts';
import { alertText } from './wording.ts';

export interface EvaluateLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface EvaluateAlertsOptions {
  incidents: AlertIncidentRepository;
  observer: AlertObserver;
  outage: DatabaseOutageAlerts;
  publicUrl: string;
  now: () => Date;
  log: EvaluateLog;
}

export interface EvaluationResult {
  /** Decisions this process recorded (another process may have recorded some of the plan first). */
  recorded: number;
  databaseDown: boolean;
}

export class EvaluateAlerts {
  constructor(private readonly options: EvaluateAlertsOptions) {}

  async run(): Promise<EvaluationResult> {
    const { incidents, observer, outage, now: clock, log } = this.options;
    const now = clock();
    let rows: IncidentRow[];
    try {
      rows = await incidents.listOpen();
    } catch (error) {
      if (!isStorageOutage(error)) throw error;
      await outage.whileDown(now);
      return { recorded: 0, databaseDown: true };
    }
    await outage.afterRecovery(incidents, now);
    const open: OpenIncident[] = rows.flatMap((row) =>
      isIncidentKind(row.kind)
        ? [
            {
              id: row.id,
              kind: row.kind,
              subject: row.subject,
              openedAt: row.openedAt,
              lastNotifiedAt: row.lastNotifiedAt,
              details: row.details as IncidentDetails,
            },
          ]
        : [],
    );
    const state = await observer.observe(now, open);
    for (const problem of state.problems)
      log.warn({ err: problem.error, kind: problem.kind }, 'Could not look at one kind of alert this round; its incidents stay as they are');
    let recorded = 0;
    for (const action of planIncidents({ observations: state.observations, open, unknownKinds: state.unknownKinds, now })) {
      if (await this.#apply(action, now)) {
        recorded += 1;
        log.info({ action: action.type, kind: 'observation' in action ? action.observation.kind : action.incident.kind }, 'Alert incident updated');
      }
    }
    return { recorded, databaseDown: false };
  }

  #apply(action: IncidentAction, now: Date): Promise<boolean> {
    const { incidents, publicUrl } = this.options;
    switch (action.type) {
      case 'open':
      case 'notice': {
        const { kind, subject, details } = action.observation;
        const message = { kind: action.type === 'notice' ? 'notice' : 'opened', ...alertText(kind, 'opened', details, publicUrl) };
        return incidents.open({ kind, subject, details, at: now, resolved: action.type === 'notice' }, message);
      }
      case 'remind':
      case 'digest': {
        const { kind, details } = action.observation;
        const messageKind = action.type === 'remind' ? 'reminder' : 'digest';
        return incidents.notifyAgain(action.incident, details, { kind: messageKind, ...alertText(kind, messageKind, details, publicUrl) }, now);
      }
      case 'resolve': {
        const { id, kind, details } = action.incident;
        return incidents.resolve(id, { kind: 'resolved', ...alertText(kind, 'resolved', details, publicUrl) }, now);
      }
    }
  }
}
