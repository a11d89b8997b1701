// Reads and validates the environment once, at start. Nothing else in the codebase reads
// process.env: the frozen Config is passed in wherever it is needed.
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';
import { ZOHO_DATA_CENTRES, ZOHO_ENDPOINTS, type QuotaOverride, type ZohoDataCentre, type ZohoEndpoint } from './zoho-names.ts';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * ZOHO_QUOTA_LIMITS: JSON replacing Zoho's limits for some endpoints, e.g. when another integration
 * shares the Zoho account, or a test runs against small limits:
 * {"listsubscribe":{"windows":[{"limit":250,"windowMs":60000}],"lockMs":1800000}}
 */
const quotaLimits = optionalString
  .transform((text, context) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'ZOHO_QUOTA_LIMITS must be JSON, e.g. {"listsubscribe":{"windows":[{"limit":250,"windowMs":60000}]}}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .partialRecord(
        z.enum(ZOHO_ENDPOINTS),
        z.strictObject({
          windows: z.array(z.strictObject({ limit: z.number().int().min(1), windowMs: z.number().int().min(100) })).min(1),
          lockMs: z.number().int().min(0).optional(),
        }),
      )
      .optional(),
  );

const DEFAULT_TRUSTED_PROXIES = Object.freeze(['loopback']);
const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: which direct peers may state the client's address and protocol in X-Forwarded-*
 * headers. The default trusts only this host, where a reverse proxy (Caddy, nginx) sits. Private
 * networks are not trusted by default: behind Docker's published port every client arrives from
 * a private address, and could then pick the address its sign-in attempts are counted against.
 * docker-compose.yml names its own Caddy. "true" trusts every peer, "false" none
 * (docs/security.md). A list is checked by @fastify/proxy-addr, the parser Fastify compiles it with.
 */
const trustProxy = optionalString.transform((text, context): boolean | readonly string[] => {
  if (text === undefined) return DEFAULT_TRUSTED_PROXIES;
  if (text === 'true' || text === 'false') return text === 'true';
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    proxyAddr.compile(entries.length > 0 ? entries : '');
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message:
        `must be true, false, or addresses, CIDR ranges and the names ${PROXY_ADDRESS_NAMES.join(', ')} ` +
        `separated by commas, e.g. 127.0.0.1,10.0.0.0/8 (${entries.length > 0 ? (error as Error).message : 'nothing given'})`,
    });
    return z.NEVER;
  }
  return Object.freeze(entries);
});

const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `${what} must be a URL, e.g. http://127.0.0.1:8080` });

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql://')
    .default('postgresql://postgres@127.0.0.1:5432/woo_zoho_bridge'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().trim().min(1).default('wzb'),
  // Seed nodes of a Redis Cluster, "host:port,host:port"; user, password and TLS come from REDIS_URL.
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .optional()
    .transform((text) =>
      text
        ? text
            .split(',')
            .map((node) => node.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(
      z
        .array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'REDIS_CLUSTER_NODES lists host:port pairs, comma-separated, e.g. 10.0.0.5:6379,10.0.0.6:6379'))
        .min(1)
        .optional(),
    ),
  HOST: z.string().trim().default('0.0.0.0'),
  TRUST_PROXY: trustProxy,
  // WooCommerce only delivers to ports 80, 443 and 8080 (docs/woocommerce-webhooks.md, "The delivery request").
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: optionalString.pipe(url('PUBLIC_URL').optional()),
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  // Below the server's 30 s request timeout, and WooCommerce's 60 s.
  WEBHOOK_STORE_TIMEOUT_MS: z.coerce.number().int().min(500).max(25_000).default(15_000),
  WC_STORE_URL: optionalString.pipe(url('WC_STORE_URL').optional()),
  WC_STORE_NAME: optionalString,
  WC_WEBHOOK_SECRET: optionalString,
  WC_CUSTOMER_ROLES: z.string().trim().default('customer,subscriber'),
  ZOHO_DC: z
    .enum(ZOHO_DATA_CENTRES, {
      message: `ZOHO_DC must be one of ${ZOHO_DATA_CENTRES.join(', ')}`,
    })
    .default('com'),
  ZOHO_CLIENT_ID: optionalString,
  ZOHO_CLIENT_SECRET: optionalString,
  ZOHO_REFRESH_TOKEN: optionalString,
  ZOHO_LIST_KEY: optionalString,
  ZOHO_ACCOUNTS_URL: optionalString,
  ZOHO_CAMPAIGNS_URL: optionalString,
  ZOHO_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  ZOHO_QUOTA_LIMITS: quotaLimits,
  ENCRYPTION_KEY: optionalString,
  ENCRYPTION_KEY_PREVIOUS: optionalString,
  RETAIN_DELIVERIES_DAYS: z.coerce.number().int().min(1).default(90),
  RETAIN_SYNC_LOG_DAYS: z.coerce.number().int().min(1).default(365),
  RETAIN_REFUSALS_DAYS: z.coerce.number().int().min(1).default(30),
  REFUSALS_KEPT_PER_STORE: z.coerce.number().int().min(1).default(1_000),
  REFUSALS_KEPT_WITHOUT_STORE: z.coerce.number().int().min(1).default(200),
  REFUSALS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, { message: 'ADMIN_PASSWORD must be at least 10 characters' }).optional()),
  SETUP_CODE_FILE: z.string().trim().min(1).default('.local/setup-code'),
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  METRICS_TOKEN: optionalString,
  METRICS_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'METRICS_PORT must be a port number, e.g. 9464')
      .transform(Number)
      .optional(),
  ),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  SYNC_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(25_000),
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/[^/]/, 'SMTP_URL must look like smtp://user:password@smtp.example.com:587')
      .optional(),
  ),
  ALERT_EMAIL_FROM: optionalString,
  ALERT_EMAIL_TO: optionalString,
  ALERT_WEBHOOK_URL: optionalString.pipe(url('ALERT_WEBHOOK_URL').optional()),
  ALERT_WEBHOOK_SECRET: optionalString,
});

export type Role = 'all' | 'server' | 'worker';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Seed nodes (host:port) when Redis is a cluster (REDIS_CLUSTER_NODES); undefined for one Redis. */
  readonly redisClusterNodes: readonly string[] | undefined;
  /**
   * Prefix of every Redis key (queues, locks, quota counters); tests use a unique one each. On a
   * cluster it is a hash tag (`{wzb}`), so that every key lands in one slot: BullMQ's scripts and
   * the quota's touch several keys at once, which a cluster allows only within a slot.
   */
  readonly redisPrefix: string;
  readonly host: string;
  readonly port: number;
  /** Peers whose X-Forwarded-* headers are believed (TRUST_PROXY): true, false, or address ranges. */
  readonly trustProxy: boolean | readonly string[];
  /** Where WooCommerce and the browser reach the bridge; used in webhook and OAuth URLs. */
  readonly publicUrl: string;
  readonly webhookBodyLimitBytes: number;
  /** How long a delivery waits for Postgres before it is answered 503 (WEBHOOK_STORE_TIMEOUT_MS). */
  readonly webhookStoreTimeoutMs: number;
  readonly defaultStore: {
    readonly name: string;
    readonly url: string | undefined;
    readonly webhookSecret: string | undefined;
  };
  /** WordPress roles whose customer.* events are synced (docs/woocommerce-webhooks.md, "Topics"). */
  readonly customerRoles: readonly string[];
  readonly zoho: {
    readonly dataCentre: ZohoDataCentre;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly refreshToken: string | undefined;
    readonly listKey: string | undefined;
    /** Host overrides; may contain "{dc}", replaced by the data centre. */
    readonly accountsUrlTemplate: string | undefined;
    readonly campaignsUrlTemplate: string | undefined;
    readonly timeoutMs: number;
    /** Endpoints whose call limits replace Zoho's documented ones (ZOHO_QUOTA_LIMITS). */
    readonly quotaLimits: Partial<Record<ZohoEndpoint, QuotaOverride>> | undefined;
  };
  /** Base64 of 32 bytes, or undefined when the caller must supply a development key. */
  readonly encryptionKey: string | undefined;
  /** Keys that only open what they sealed before ENCRYPTION_KEY replaced them (ENCRYPTION_KEY_PREVIOUS). */
  readonly previousEncryptionKeys: readonly string[];
  /** How long personal data is kept, in days (docs/security.md, "Retention"). */
  readonly retention: {
    /** Delivery bodies and contact snapshots, counted from when their event settled. */
    readonly deliveriesDays: number;
    readonly syncLogDays: number;
    readonly refusalsDays: number;
  };
  /** Bounds on refused deliveries, which anyone can cause (docs/security.md, "Refused deliveries"). */
  readonly refusals: {
    readonly keptPerStore: number;
    /** Refusals at a URL of no known store, all together. */
    readonly keptWithoutStore: number;
    /** Refusals recorded per client address and minute; past it the answer is 429 and nothing is stored. */
    readonly perAddressPerMinute: number;
  };
  /** The owner's dashboard password; when set it replaces the one chosen in the browser at start. */
  readonly adminPassword: string | undefined;
  readonly owner: {
    /** Where a server process writes the one-time setup code while no password exists (absolute). */
    readonly setupCodeFile: string;
    /** A dashboard session ends after this long without a visit (SESSION_IDLE_HOURS). */
    readonly sessionIdleMs: number;
    /** …and this long after signing in, however busy (SESSION_MAX_DAYS). */
    readonly sessionMaxMs: number;
  };
  readonly worker: {
    readonly concurrency: number;
    readonly attempts: number;
    /** How long a job stays claimed by a worker that stopped answering (killed, frozen) before another takes it. */
    readonly lockMs: number;
    /** At SIGTERM, how long running jobs may take to finish before the worker exits anyway. */
    readonly shutdownDeadlineMs: number;
  };
  readonly metrics: {
    /** When set, GET /metrics needs "Authorization: Bearer <token>". */
    readonly token: string | undefined;
    /** A worker running alone (`worker` role) serves /metrics and /healthz on this port. */
    readonly workerPort: number | undefined;
  };
  /** Where alerts go until the Notifications page saves its own (docs/alerts.md). */
  readonly alerts: {
    readonly smtpUrl: string | undefined;
    readonly emailFrom: string | undefined;
    readonly emailTo: readonly string[];
    readonly webhookUrl: string | undefined;
    readonly webhookSecret: string | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(environment: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const problems = crossFieldProblems(values);
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: values.NODE_ENV,
    logLevel: values.LOG_LEVEL,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    redisClusterNodes: values.REDIS_CLUSTER_NODES,
    redisPrefix: values.REDIS_CLUSTER_NODES && !/\{[^}]+\}/.test(values.REDIS_PREFIX) ? `{${values.REDIS_PREFIX}}` : values.REDIS_PREFIX,
    host: values.HOST,
    port: values.PORT,
    trustProxy: values.TRUST_PROXY,
    publicUrl,
    webhookBodyLimitBytes: values.WEBHOOK_BODY_LIMIT_BYTES,
    webhookStoreTimeoutMs: values.WEBHOOK_STORE_TIMEOUT_MS,
    defaultStore: Object.freeze({
      name: values.WC_STORE_NAME ?? storeNameFromUrl(values.WC_STORE_URL),
      url: values.WC_STORE_URL,
      webhookSecret: values.WC_WEBHOOK_SECRET,
    }),
    customerRoles: Object.freeze(
      values.WC_CUSTOMER_ROLES.split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    ),
    zoho: Object.freeze({
      dataCentre: values.ZOHO_DC,
      clientId: values.ZOHO_CLIENT_ID,
      clientSecret: values.ZOHO_CLIENT_SECRET,
      refreshToken: values.ZOHO_REFRESH_TOKEN,
      listKey: values.ZOHO_LIST_KEY,
      accountsUrlTemplate: values.ZOHO_ACCOUNTS_URL,
      campaignsUrlTemplate: values.ZOHO_CAMPAIGNS_URL,
      timeoutMs: values.ZOHO_TIMEOUT_MS,
      quotaLimits: values.ZOHO_QUOTA_LIMITS,
    }),
    encryptionKey: values.ENCRYPTION_KEY,
    previousEncryptionKeys: Object.freeze(splitList(values.ENCRYPTION_KEY_PREVIOUS)),
    retention: Object.freeze({
      deliveriesDays: values.RETAIN_DELIVERIES_DAYS,
      syncLogDays: values.RETAIN_SYNC_LOG_DAYS,
      refusalsDays: values.RETAIN_REFUSALS_DAYS,
    }),
    refusals: Object.freeze({
      keptPerStore: values.REFUSALS_KEPT_PER_STORE,
      keptWithoutStore: values.REFUSALS_KEPT_WITHOUT_STORE,
      perAddressPerMinute: values.REFUSALS_PER_ADDRESS_PER_MINUTE,
    }),
    adminPassword: values.ADMIN_PASSWORD,
    owner: Object.freeze({
      setupCodeFile: resolve(values.SETUP_CODE_FILE),
      sessionIdleMs: values.SESSION_IDLE_HOURS * 3_600_000,
      sessionMaxMs: values.SESSION_MAX_DAYS * 86_400_000,
    }),
    worker: Object.freeze({
      concurrency: values.WORKER_CONCURRENCY,
      attempts: values.SYNC_ATTEMPTS,
      lockMs: values.WORKER_LOCK_MS,
      shutdownDeadlineMs: values.SHUTDOWN_DEADLINE_MS,
    }),
    metrics: Object.freeze({ token: values.METRICS_TOKEN, workerPort: values.METRICS_PORT }),
    alerts: Object.freeze({
      smtpUrl: values.SMTP_URL,
      emailFrom: values.ALERT_EMAIL_FROM,
      emailTo: Object.freeze(splitList(values.ALERT_EMAIL_TO)),
      webhookUrl: values.ALERT_WEBHOOK_URL,
      webhookSecret: values.ALERT_WEBHOOK_SECRET,
    }),
  });
}

function crossFieldProblems(values: z.infer<typeof environmentSchema>): string[] {
  const problems: string[] = [];
  if (values.ENCRYPTION_KEY !== undefined) {
    const key = Buffer.from(values.ENCRYPTION_KEY, 'base64');
    if (key.length !== 32) {
      problems.push('ENCRYPTION_KEY: must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)');
    }
  } else if (values.NODE_ENV === 'production') {
    problems.push('ENCRYPTION_KEY: required when NODE_ENV=production (openssl rand -base64 32)');
  }
  if (values.SESSION_IDLE_HOURS > values.SESSION_MAX_DAYS * 24) {
    problems.push('SESSION_IDLE_HOURS: must not be longer than SESSION_MAX_DAYS');
  }
  for (const key of splitList(values.ENCRYPTION_KEY_PREVIOUS)) {
    if (Buffer.from(key, 'base64').length !== 32) {
      problems.push('ENCRYPTION_KEY_PREVIOUS: each key (separated by commas) must be 32 bytes in base64, as ENCRYPTION_KEY');
    }
  }
  if (values.ZOHO_REFRESH_TOKEN && !(values.ZOHO_CLIENT_ID && values.ZOHO_CLIENT_SECRET)) {
    problems.push('ZOHO_REFRESH_TOKEN: needs ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET as well');
  }
  if (values.SMTP_URL && !(values.ALERT_EMAIL_FROM && values.ALERT_EMAIL_TO)) {
    problems.push('SMTP_URL: needs ALERT_EMAIL_FROM and ALERT_EMAIL_TO (comma-separated addresses) as well');
  }
  for (const name of ['ZOHO_ACCOUNTS_URL', 'ZOHO_CAMPAIGNS_URL'] as const) {
    const template = values[name];
    if (template && !URL.canParse(template.replaceAll('{dc}', 'com'))) {
      problems.push(`${name}: must be a URL (it may contain {dc}), got "${template}"`);
    }
  }
  return problems;
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function storeNameFromUrl(storeUrl: string | undefined): string {
  if (!storeUrl) return 'My store';
  return new URL(storeUrl).host;
}

/** sysexits.h: the configuration is wrong. */
const EX_CONFIG = 78;

/**
 * The running process's configuration: the environment, over a .env file in the working folder if
 * there is one. A wrong setting prints what to fix and exits with EX_CONFIG, so a service manager
 * does not restart it in a loop.
 */
export function readProcessConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EX_CONFIG);
    }
    throw error;
  }
}
