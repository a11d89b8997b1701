// Decides what to do with incidents, from what holds now and what is already open: open new ones,
// remind about lasting ones at most once a day, send a digest at most once an hour when something
// new happened, and resolve those that no longer hold. Pure: the caller applies the plan.
import { DIGEST_EVERY_MS, REMINDER_EVERY_MS, type IncidentKind, type Observation, type OpenIncident } from './incident.ts';

export type IncidentAction =
  | { type: 'open'; observation: Observation }
  | { type: 'notice'; observation: Observation }
  | { type: 'remind'; incident: OpenIncident; observation: Observation }
  | { type: 'digest'; incident: OpenIncident; observation: Observation }
  | { type: 'resolve'; incident: OpenIncident };

export interface PlanInput {
  observations: readonly Observation[];
  open: readonly OpenIncident[];
  /** Kinds this round could not look at (e.g. Redis was down): their open incidents stay open. */
  unknownKinds: ReadonlySet<IncidentKind>;
  now: Date;
}

const keyOf = (kind: string, subject: string) => `${kind}\u0000${subject}`;

export function planIncidents(input: PlanInput): IncidentAction[] {
  const actions: IncidentAction[] = [];
  const openByKey = new Map(input.open.map((incident) => [keyOf(incident.kind, incident.subject), incident]));
  const observedKeys = new Set<string>();
  const now = input.now.getTime();

  for (const observation of input.observations) {
    const key = keyOf(observation.kind, observation.subject);
    observedKeys.add(key);
    const incident = openByKey.get(key);
    if (!incident) {
      actions.push({ type: observation.notice ? 'notice' : 'open', observation });
      continue;
    }
    const sinceTold = now - incident.lastNotifiedAt.getTime();
    const somethingNew = observation.latestAt !== undefined && observation.latestAt > incident.lastNotifiedAt;
    if (somethingNew && sinceTold >= DIGEST_EVERY_MS) actions.push({ type: 'digest', incident, observation });
    else if (sinceTold >= REMINDER_EVERY_MS) actions.push({ type: 'remind', incident, observation });
  }
  for (const incident of input.open) {
    if (observedKeys.has(keyOf(incident.kind, incident.subject)) || input.unknownKinds.has(incident.kind)) continue;
    actions.push({ type: 'resolve', incident });
  }
  return actions;
}
