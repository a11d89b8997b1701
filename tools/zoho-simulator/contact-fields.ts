// Contact fields and the `contactinfo` parameter: Campaigns keys contact data by field DISPLAY
// names (docs/zoho-api.md, "Endpoints the bridge uses"), so this file owns the list of names the simulator accepts.

export interface FieldDefinition {
  displayName: string;
  fieldName: string;
  mandatory: boolean;
  fieldId: string;
}

const STANDARD_FIELDS: Array<[displayName: string, fieldName: string]> = [
  ['Contact Email', 'contact_email'],
  ['First Name', 'firstname'],
  ['Last Name', 'lastname'],
  ['Phone', 'phone'],
  ['Mobile', 'mobile'],
  ['Company Name', 'companyname'],
  ['City', 'city'],
  ['State', 'state'],
  ['Country', 'country'],
  ['Zip Code', 'zip'],
];

export function buildFieldDefinitions(extra: Array<{ displayName: string; fieldName?: string }>): FieldDefinition[] {
  const all = [...STANDARD_FIELDS, ...extra.map((f): [string, string] => [f.displayName, f.fieldName ?? defaultFieldName(f.displayName)])];
  return all.map(([displayName, fieldName], index) => ({
    displayName,
    fieldName,
    mandatory: displayName === 'Contact Email',
    fieldId: String(4000000000015 + index * 3),
  }));
}

/** [U] Zoho's naming of custom fields is unknown; standard fields look like `companyname`. */
function defaultFieldName(displayName: string): string {
  return displayName.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * Parses `contactinfo`. Real JSON is what every client sends; Zoho's own sample uses an unquoted
 * form (`{First Name:mac,Contact Email:jai@zoho.com}`), accepted here as a fallback since Zoho
 * presumably parses its own example. Undefined means code 2001 (bad JSON).
 */
export function parseContactInfo(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)]));
  } catch {
    return parseUnquotedContactInfo(raw);
  }
}

function parseUnquotedContactInfo(raw: string): Record<string, string> | undefined {
  const inner = /^\{(.*)\}$/s.exec(raw.trim())?.[1];
  if (inner === undefined) return undefined;
  const entries = inner.split(',').map((pair) => {
    const colon = pair.indexOf(':');
    return colon > 0 ? [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()] : undefined;
  });
  if (entries.length === 0 || entries.some((e) => e === undefined || e[0] === '' || e[0]!.includes('"'))) return undefined;
  return Object.fromEntries(entries as Array<[string, string]>);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * [U] Zoho rejects "group" (role) addresses with 2005 but publishes no list; these are the
 * role mailboxes marketing platforms commonly refuse.
 */
const GROUP_LOCAL_PARTS = new Set([
  'info',
  'sales',
  'support',
  'admin',
  'contact',
  'office',
  'marketing',
  'help',
  'team',
  'hr',
  'billing',
  'noreply',
  'no-reply',
  'postmaster',
  'webmaster',
  'abuse',
  'hostmaster',
  'enquiries',
  'inquiries',
]);

export type EmailVerdict = 'valid' | 'invalid' | 'group';

export function judgeEmail(email: string | undefined): EmailVerdict {
  if (!email || !EMAIL.test(email.trim())) return 'invalid';
  const localPart = email.trim().split('@')[0]!.toLowerCase();
  return GROUP_LOCAL_PARTS.has(localPart) ? 'group' : 'valid';
}
