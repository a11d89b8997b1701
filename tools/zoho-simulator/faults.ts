// Injected faults: a FIFO of failures that matching requests consume, so a test can script
// "the next two listsubscribe calls time out" without touching the happy path.
import { html, json, type Answer } from './http-kit.ts';
import type { Endpoint, FaultSpec } from './types.ts';

interface QueuedFault extends FaultSpec {
  remaining: number;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];

  inject(fault: FaultSpec): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`Fault "times" must be a positive integer, got ${times}`);
    this.queue.push({ ...fault, remaining: times });
  }

  /** The oldest fault matching this request, consumed once; undefined when none matches. */
  take(endpoint: Endpoint, dc: string | undefined): FaultSpec | undefined {
    const index = this.queue.findIndex((f) => (f.endpoint === '*' || f.endpoint === endpoint) && (f.dc === undefined || f.dc === dc));
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return fault;
  }

  get pending(): number {
    return this.queue.reduce((sum, f) => sum + f.remaining, 0);
  }

  clear(): void {
    this.queue = [];
  }
}

function errorPage(status: number, title: string): string {
  return `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1><p>Zoho</p></body></html>`;
}

/**
 * The answer for every fault kind that answers at all (`timeout` and `reset` are handled at the
 * socket). A `code` fault on the accounts server uses the accounts error shape `{"error":…}`,
 * since that server never answers in the Campaigns envelope.
 */
export function faultAnswer(fault: FaultSpec, service: 'accounts' | 'campaigns'): Answer {
  switch (fault.kind) {
    case 'http500':
      return html(errorPage(500, 'Internal Server Error'), 500);
    case 'http503':
      return html(errorPage(503, 'Service Temporarily Unavailable'), 503);
    case 'html':
      // What a captive portal, a maintenance page or a mis-routed proxy serves with HTTP 200.
      return html('<!DOCTYPE html><html><head><title>Zoho</title></head><body><p>We will be back shortly.</p></body></html>');
    case 'malformed-json':
      return { ...json({}), body: '{"status":"success","code":"0","message":"User successfully sub' };
    case 'code': {
      const code = fault.code ?? (service === 'accounts' ? 'invalid_code' : '2101');
      if (service === 'accounts') {
        return json({ error: String(code), ...(fault.message === undefined ? {} : { error_description: fault.message }) });
      }
      return json({ status: 'error', code, message: fault.message ?? 'Please retry after sometime.' });
    }
    case 'timeout':
    case 'reset':
      throw new Error(`Fault "${fault.kind}" has no HTTP answer`);
  }
}
