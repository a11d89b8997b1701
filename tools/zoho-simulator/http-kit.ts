// Request parsing and answer shapes shared by the accounts and campaigns routes. Parameters are
// read from the query string AND from a form body (url-encoded or multipart), as Zoho accepts
// both (docs/zoho-api.md, "Tokens"); the raw body bytes are kept for the call record.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { DataCentre } from './datacenters.ts';
import type { Endpoint } from './types.ts';

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  path: string;
  dc: DataCentre;
  query: Record<string, string>;
  /** Query and body parameters merged; the body wins on a clash. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export type Handler = (request: RequestContext) => Answer;

export interface Route {
  endpoint: Endpoint;
  methods: readonly string[];
  handle: Handler;
}

/** Zoho's JSON content type. */
const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(body: unknown, status = 200): Answer {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(body) };
}

export function html(body: string, status = 200): Answer {
  return { status, contentType: 'text/html;charset=UTF-8', body };
}

export function redirect(location: string): Answer {
  return { status: 302, contentType: 'text/plain;charset=UTF-8', body: '', headers: { location } };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function searchParamsToRecord(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params.entries());
}

/** Body parameters of a url-encoded or multipart form; other bodies carry no parameters. */
export async function parseFormBody(rawBody: Buffer, contentType: string | undefined): Promise<Record<string, string>> {
  if (rawBody.length === 0 || !contentType) return {};
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return searchParamsToRecord(new URLSearchParams(rawBody.toString('utf8')));
  }
  if (contentType.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(rawBody, { headers: { 'content-type': contentType } }).formData();
      const fields: Record<string, string> = {};
      for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
      return fields;
    } catch {
      return {};
    }
  }
  return {};
}

/** Client credentials sent as HTTP Basic auth, the third way Zoho's token endpoint accepts them. */
export function basicAuthCredentials(header: string | undefined): Record<string, string> {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return {};
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  return { client_id: decoded.slice(0, colon), client_secret: decoded.slice(colon + 1) };
}
