// Tokens: how many access tokens the bridge mints while 4 worker processes drain a queue. The
// simulator's tokens live `tokenTtlSeconds` (shorter than Zoho's hour, to see several lifetimes
// in minutes); the bridge refreshes a token 5 minutes before it expires (REFRESH_MARGIN_MS in
// src/zoho/token-source.ts), so each token is used for TTL − 5 min.
import { runDrain, type DrainReport } from './drain.ts';

/** src/zoho/token-source.ts refreshes this long before expiry. */
export const REFRESH_MARGIN_SECONDS = 300;

export interface TokensOptions {
  tokenTtlSeconds: number;
  minutes: number;
  workers: number;
  workerConcurrency: number;
}

export interface TokensReport {
  options: TokensOptions;
  usableLifetimeSeconds: number;
  /** Token lifetimes the run spanned: the most refreshes a one-per-lifetime bridge makes. */
  lifetimesSpanned: number;
  refreshes: number;
  throttledRefreshes: number;
  invalidTokenAnswers: number;
  zohoCalls: number;
  violations: number;
  drain: DrainReport;
}

export async function runTokens(options: TokensOptions, log: (line: string) => void): Promise<TokensReport> {
  const drain = await runDrain(
    {
      label: 'tokens',
      customers: 20_000,
      updatesPerCustomer: 1,
      workers: options.workers,
      workerConcurrency: options.workerConcurrency,
      measureMinutes: options.minutes,
      timeoutMinutes: options.minutes + 5,
      tokenTtlSeconds: options.tokenTtlSeconds,
    },
    log,
  );
  const usableLifetimeSeconds = options.tokenTtlSeconds - REFRESH_MARGIN_SECONDS;
  // From the first refresh (at the first call) to the end of the measured window.
  const spannedSeconds = options.minutes * 60;
  return {
    options,
    usableLifetimeSeconds,
    lifetimesSpanned: Math.ceil(spannedSeconds / usableLifetimeSeconds),
    refreshes: drain.zoho.tokenRefreshes,
    throttledRefreshes: drain.zoho.throttledRefreshes,
    invalidTokenAnswers: drain.zoho.invalidTokenAnswers,
    zohoCalls: drain.zoho.listsubscribeCalls,
    violations: drain.zoho.violations,
    drain,
  };
}
