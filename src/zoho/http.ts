// The one HTTP client for Zoho. It never retries (the queue owns retries), never
// throws on HTTP status (Zoho puts errors in 200 bodies anyway), and always has a timeout.
import got, { type Got } from 'got';

export function createZohoHttp(timeoutMs: number): Got {
  return got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    timeout: { request: timeoutMs },
    headers: { 'user-agent': 'woo-zoho-bridge' },
  });
}

export interface RawResponse {
  httpStatus: number | undefined;
  body: string;
  /** Set when no HTTP answer arrived: timeout, connection refused or reset. */
  networkError: string | undefined;
  durationMs: number;
}

export async function postForm(http: Got, url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  const started = performance.now();
  try {
    const response = await http.post(url, { form, headers });
    return {
      httpStatus: response.statusCode,
      body: response.body,
      networkError: undefined,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      httpStatus: undefined,
      body: '',
      networkError: describeNetworkError(error),
      durationMs: Math.round(performance.now() - started),
    };
  }
}

export async function getUrl(http: Got, url: string, searchParams: Record<string, string>, headers: Record<string, string>): Promise<RawResponse> {
  const started = performance.now();
  try {
    const response = await http.get(url, { searchParams, headers });
    return { httpStatus: response.statusCode, body: response.body, networkError: undefined, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { httpStatus: undefined, body: '', networkError: describeNetworkError(error), durationMs: Math.round(performance.now() - started) };
  }
}

function describeNetworkError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ETIMEDOUT') return 'Zoho did not answer in time (timeout).';
  if (code === 'ECONNRESET') return 'Zoho closed the connection (reset).';
  if (code === 'ECONNREFUSED') return 'Zoho refused the connection.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Zoho could not be found (DNS).';
  return `Could not reach Zoho: ${code ?? message ?? 'unknown network error'}.`;
}

/** JSON.parse that reports failure instead of throwing; Zoho sometimes answers with HTML. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
