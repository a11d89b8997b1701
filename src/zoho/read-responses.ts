// Reads contact fields and list subscribers out of Zoho Campaigns' answers (docs/zoho-api.md, "Endpoints the bridge uses"; mailing
// lists are read by mailing-lists.ts). Shapes come from client libraries rather than Zoho's docs
// [L], so a single object is accepted where an array is expected (an XML-to-JSON habit) and rows
// that cannot be read are ignored.

/** contact/allfields: `response.fieldnames.fieldname[].DISPLAY_NAME`. */
export function fieldDisplayNamesOf(body: Record<string, unknown> | undefined): string[] | undefined {
  // keepsuit reads it under "response" [L]; a bare "fieldnames" is accepted too.
  const fieldnames = record(record(body?.response)?.fieldnames) ?? record(body?.fieldnames);
  if (!fieldnames) return undefined;
  return rows(fieldnames.fieldname)
    .map((row) => row.DISPLAY_NAME)
    .filter((name): name is string => typeof name === 'string' && name !== '');
}

/** getlistsubscribers: `list_of_details[].contact_email`. */
export function subscriberEmailsOf(body: Record<string, unknown> | undefined): string[] {
  return rows(body?.list_of_details)
    .map((row) => row.contact_email)
    .filter((email): email is string => typeof email === 'string' && email !== '');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function rows(value: unknown): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map(record).filter((row): row is Record<string, unknown> => row !== undefined);
}
