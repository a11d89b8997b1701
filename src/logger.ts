// One pino configuration for every process. Secrets never reach a log line: request headers that
// carry them are redacted, and the code never logs payloads or tokens at info level. Nor do
// customers' emails and names: request URLs that carry them are redacted, and log lines at info
// and below name events and contacts by id (docs/security.md).
// Lines are JSON for log collectors, except for a person watching a terminal in development.
import pino, { type Logger, type LoggerOptions } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-wc-webhook-signature"]',
  'req.headers["x-api-token"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.webhookSecret',
  '*.password',
];

/**
 * Query parameters whose values are secrets (the OAuth callback carries Zoho's grant code in its
 * URL) or personal (a search for a person: q, email).
 */
const REDACTED_QUERY_PARAMETERS = /^(code|state|token|access_token|refresh_token|password|q|email)$/i;

/** Paths that name a person: the customer pages and the API's contact routes carry an email. */
const PERSONAL_PATH = /^(\/admin\/contacts\/|\/api\/v1\/contacts\/)[^/?]+/;

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'woo-zoho-bridge' },
    // Fastify's own request serializer, with secret and personal parts blanked out of the URL.
    serializers: {
      req: (request: RequestLike) => ({
        method: request.method,
        url: withoutSecrets(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function withoutSecrets(url: string | undefined): string | undefined {
  if (url === undefined) return url;
  const [rawPath, query] = url.split('?', 2) as [string, string?];
  const path = rawPath.replace(PERSONAL_PATH, '$1[redacted]');
  if (query === undefined) return path;
  const params = new URLSearchParams(query);
  for (const name of [...params.keys()]) if (REDACTED_QUERY_PARAMETERS.test(name)) params.set(name, '[redacted]');
  return `${path}?${params.toString()}`;
}

/** Readable lines only for a person at a terminal in development; production and pipes get JSON. */
export function wantsPrettyLogs(env: string, output: { isTTY?: boolean }): boolean {
  return env !== 'production' && output.isTTY === true;
}

/**
 * The process's logger, on stdout. At a terminal in development, lines go through pino-pretty
 * (loaded only then, so production processes never carry it; should it be missing, the lines stay JSON).
 */
export async function createLogger(config: { logLevel: string; env: string }, output: NodeJS.WriteStream = process.stdout): Promise<Logger> {
  const options = loggerOptions(config.logLevel);
  const json = () => (output === process.stdout ? pino(options) : pino(options, output));
  if (!wantsPrettyLogs(config.env, output)) return json();
  try {
    const { default: pretty } = await import('pino-pretty');
    const colorize = typeof output.hasColors === 'function' && output.hasColors();
    return pino(
      options,
      pretty({ destination: output, colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true, sync: true }),
    );
  } catch {
    return json();
  }
}
