// Just enough of a browser for the owner's pages: a cookie jar for the bridge, redirects followed
// across hosts (bridge → Zoho simulator → bridge) the way a browser does, and forms submitted with
// their CSRF token. Every hop is kept, so tests can look at each redirect.
export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** Every response on the way, first to last (redirects included). */
  hops: Array<{ url: string; status: number; location: string | undefined }>;
}

export class Browser {
  readonly #cookies = new Map<string, string>();
  readonly #origin: string;
  readonly #headers: Record<string, string>;

  /** `headers` go with every request to the bridge, e.g. what a reverse proxy would add. */
  constructor(bridgeUrl: string, options: { headers?: Record<string, string> } = {}) {
    this.#origin = new URL(bridgeUrl).origin;
    this.#headers = options.headers ?? {};
  }

  get(url: string, options: { follow?: boolean } = {}): Promise<Page> {
    return this.#navigate('GET', this.#absolute(url), undefined, options.follow ?? true);
  }

  /** A field given several values (a list) is sent once per value, as a form's repeated inputs are. */
  post(url: string, form: Record<string, string | string[]>, options: { follow?: boolean } = {}): Promise<Page> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    return this.#navigate('POST', this.#absolute(url), body.toString(), options.follow ?? true);
  }

  /** Posts a form of `page` (found by its action) with its hidden fields and `fields`. */
  submit(page: Page, action: string, fields: Record<string, string | string[]> = {}, options: { follow?: boolean } = {}): Promise<Page> {
    return this.post(action, { ...hiddenFields(page.body, action), ...fields }, options);
  }

  cookieNames(): string[] {
    return [...this.#cookies.keys()];
  }

  /** The Cookie header this browser sends now: what an attacker who copied it could replay. */
  cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async #navigate(method: string, url: string, body: string | undefined, follow: boolean): Promise<Page> {
    const hops: Page['hops'] = [];
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let redirects = 0; ; redirects++) {
      const onBridge = new URL(current).origin === this.#origin;
      const headers: Record<string, string> = onBridge ? { ...this.#headers } : {};
      if (onBridge && this.#cookies.size > 0) headers.cookie = this.cookieHeader();
      if (currentBody !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(current, { method: currentMethod, headers, body: currentBody, redirect: 'manual' });
      if (onBridge) this.#store(response.headers.getSetCookie());
      const location = response.headers.get('location') ?? undefined;
      hops.push({ url: current, status: response.status, location });
      const text = await response.text();
      if (!follow || !location || response.status < 300 || response.status > 399) {
        return { url: current, status: response.status, headers: response.headers, body: text, hops };
      }
      if (redirects > 10) throw new Error(`Too many redirects from ${url}`);
      current = new URL(location, current).toString();
      if (response.status !== 307 && response.status !== 308) {
        currentMethod = 'GET';
        currentBody = undefined;
      }
    }
  }

  #store(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '';
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  #absolute(url: string): string {
    return new URL(url, this.#origin).toString();
  }
}

/** The CSRF token of the first form on the page. */
export function csrfTokenOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/** Hidden inputs of the form posting to `action`. */
export function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`No form posting to ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[match[1]!] = decodeEntities(match[2]!);
  return fields;
}

/** The visible text of a page, for matching sentences across tags and line breaks. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<style[\s\S]*?<\/style>|<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
