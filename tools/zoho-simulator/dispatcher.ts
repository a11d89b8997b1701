// One function per request: parse, record, route to the DC's accounts or campaigns table, let an
// injected fault take over, answer. Plain node:http rather than Fastify because faults need
// socket-level control (hold, reset) and the record needs the raw body bytes untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { wrongUrl } from './campaigns-routes.ts';
import { isDataCentre } from './datacenters.ts';
import { faultAnswer, type FaultQueue } from './faults.ts';
import { html, parseFormBody, readBody, searchParamsToRecord, type Answer, type RequestContext, type Route } from './http-kit.ts';
import type { Endpoint, RecordedCall } from './types.ts';

export interface DispatcherDeps {
  accountsRoutes: Map<string, Route>;
  campaignsRoutes: Map<string, Route>;
  faults: FaultQueue;
  calls: RecordedCall[];
  recordCalls: boolean;
  now: () => number;
  indexPage: () => string;
  /** Responses a `timeout` fault holds open; close() destroys them. */
  held: Set<ServerResponse>;
  timers: Set<NodeJS.Timeout>;
}

interface Resolved {
  endpoint: Endpoint;
  dc: string | undefined;
  service: 'accounts' | 'campaigns';
  run: (request: RequestContext) => Answer;
}

const DC_PATH = /^\/dc\/([^/]+)\/(accounts|campaigns)(\/.*)?$/;

export function createDispatcher(deps: DispatcherDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const method = req.method ?? 'GET';
    const query = searchParamsToRecord(url.searchParams);
    const params = { ...query, ...(await parseFormBody(rawBody, req.headers['content-type'])) };
    const resolved = resolve(deps, method, url.pathname);
    const call: RecordedCall = {
      endpoint: resolved.endpoint,
      dc: resolved.dc,
      method,
      path: url.pathname,
      query,
      params,
      rawBody,
      headers: req.headers,
      at: deps.now(),
    };
    if (deps.recordCalls) deps.calls.push(call);
    const context = { method, path: url.pathname, dc: resolved.dc as RequestContext['dc'], query, params, headers: req.headers };
    const answerNormally = (): void =>
      send(
        res,
        call,
        safely(() => resolved.run(context)),
      );

    const fault = deps.faults.take(resolved.endpoint, resolved.dc);
    if (!fault) return answerNormally();
    call.fault = fault.kind;
    if (fault.kind === 'timeout') {
      // Held without an answer; with delayMs it is merely slow and then answers normally.
      deps.held.add(res);
      res.on('close', () => deps.held.delete(res));
      if (fault.delayMs !== undefined) after(deps, fault.delayMs, answerNormally);
      return;
    }
    after(deps, fault.delayMs ?? 0, () => {
      if (fault.kind === 'reset') req.socket.destroy();
      else send(res, call, faultAnswer(fault, resolved.service));
    });
  };
}

function resolve(deps: DispatcherDeps, method: string, pathname: string): Resolved {
  if (pathname === '/') return { endpoint: 'index', dc: undefined, service: 'campaigns', run: () => html(deps.indexPage()) };
  const match = DC_PATH.exec(pathname);
  const dc = match?.[1];
  if (!match || dc === undefined || !isDataCentre(dc)) {
    // A host that does not exist in real life; 404 is the closest HTTP analogue.
    return { endpoint: 'unknown', dc, service: 'campaigns', run: () => html(notFoundPage(pathname), 404) };
  }
  const service = match[2] === 'accounts' ? 'accounts' : 'campaigns';
  const route = (service === 'accounts' ? deps.accountsRoutes : deps.campaignsRoutes).get(match[3] ?? '/');
  const endpoint = route?.endpoint ?? 'unknown';
  if (route?.methods.includes(method)) return { endpoint, dc, service, run: route.handle };
  // Campaigns answers wrong URLs inside HTTP 200; the accounts server serves a 404 page.
  return { endpoint, dc, service, run: service === 'campaigns' ? wrongUrl : () => html(notFoundPage(pathname), 404) };
}

function send(res: ServerResponse, call: RecordedCall, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return;
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': body.length, ...answer.headers });
  res.end(body);
  call.response = { status: answer.status, body: answer.body };
}

/** A simulator bug must be loud: HTTP 500 naming it, and a line on stderr. */
function safely(run: () => Answer): Answer {
  try {
    return run();
  } catch (error) {
    console.error('[zoho-simulator] handler failed:', error);
    return html(`<h1>Zoho simulator bug</h1><pre>${String(error)}</pre>`, 500);
  }
}

function after(deps: DispatcherDeps, delayMs: number, run: () => void): void {
  if (delayMs <= 0) {
    run();
    return;
  }
  const timer = setTimeout(() => {
    deps.timers.delete(timer);
    run();
  }, delayMs);
  deps.timers.add(timer);
}

function notFoundPage(pathname: string): string {
  return `<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>${pathname.replace(/[<>&]/g, '')}</p></body></html>`;
}
