// Incidents as the overview lists them: the title the owner was sent, and the page to fix it on.
import type { IncidentRow } from '../db/alert-incidents.ts';
import { isIncidentKind, type IncidentDetails } from './incident.ts';
import { alertText } from './wording.ts';

export interface IncidentView {
  title: string;
  link: string;
  open: boolean;
  openedAt: Date;
  resolvedAt: Date | undefined;
}

export function incidentViews(rows: readonly IncidentRow[]): IncidentView[] {
  return rows.flatMap((row) => {
    if (!isIncidentKind(row.kind)) return [];
    const text = alertText(row.kind, 'opened', row.details as IncidentDetails, '');
    return [{ title: text.title, link: text.link, open: row.resolvedAt === null, openedAt: row.openedAt, resolvedAt: row.resolvedAt ?? undefined }];
  });
}
