// Checks store settings an owner submits, before anything is stored: the shape (strictly, so a
// misspelt key is named rather than silently dropped) and the rules that need no Zoho call.
// Every problem is a sentence the settings page can show as it is.
import { z } from 'zod';
import { isKnownSource } from './field-mapping.ts';
import { sourceLabel } from './field-sources.ts';
import { SUBSCRIPTION_STATUSES } from './status-rules.ts';
import { consentSchema, listsSchema, storeSettingsSchema, type StoreSettings } from './store-settings.ts';

const strictInputSchema = z.strictObject({
  ...storeSettingsSchema.shape,
  lists: listsSchema.strict().default({}),
  consent: consentSchema.strict().default({}),
});

export type ParsedInput = { ok: true; settings: StoreSettings } | { ok: false; problems: string[] };

export function parseSettingsInput(input: unknown): ParsedInput {
  const parsed = strictInputSchema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(describeIssue) };
  const problems = ruleProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings: parsed.data };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const statuses = issue.code === 'unrecognized_keys' && issue.path[0] === 'statusLists' ? `. The statuses are ${SUBSCRIPTION_STATUSES.join(', ')}.` : '';
  return `${where}${issue.message}${statuses}`;
}

/** Problems a valid shape can still have. */
export function ruleProblems(settings: StoreSettings): string[] {
  const problems: string[] = [];
  const { activeSubscribers, lapsed } = settings.lists;
  if (activeSubscribers && activeSubscribers === lapsed) {
    problems.push(`lists: the active-subscribers list and the lapsed list are both "${lapsed}"; a cancelled subscriber would never leave it.`);
  }
  const filledBy = new Map<string, string[]>();
  for (const { source, zohoField } of settings.fieldMapping) {
    if (!isKnownSource(source)) {
      problems.push(
        `fieldMapping: "${source}" is not a WooCommerce value the bridge can read. Pick one from the list (for example "Billing phone"); for a custom field, write "Custom field: " and its key.`,
      );
    }
    if (zohoField === 'Contact Email') {
      problems.push('fieldMapping: "Contact Email" is filled by the bridge itself (the account email); map other fields only.');
    }
    filledBy.set(zohoField, [...(filledBy.get(zohoField) ?? []), sourceLabel(source)]);
  }
  for (const [zohoField, sources] of filledBy) {
    if (sources.length > 1) problems.push(`fieldMapping: the Zoho field "${zohoField}" is filled by ${sources.join(' and ')}; keep one.`);
  }
  return problems;
}
