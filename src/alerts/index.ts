// Builds alerting's use cases from the repositories and clients the composition root already has
// (src/services.ts), so that file only adds one line.
import type { RedisClient } from '../redis/connection.ts';
import type { Config } from '../config.ts';
import type { AlertIncidentRepository } from '../db/alert-incidents.ts';
import type { AlertSettingsRepository } from '../db/alert-settings.ts';
import type { ObserverSources } from './observe.ts';
import { AlertObserver } from './observe.ts';
import { DatabaseOutageAlerts } from './database-outage.ts';
import { EvaluateAlerts } from './evaluate.ts';
import { NotificationSettings } from './notification-settings.ts';
import { SendAlertMessages } from './send-messages.ts';
import { AlertSettingsSource, channelsFor, settingsFromConfig } from './settings.ts';
import { StorageRefusals } from './storage-refusals.ts';

export interface Alerts {
  incidents: AlertIncidentRepository;
  evaluate: EvaluateAlerts;
  send: SendAlertMessages;
  notifications: NotificationSettings;
  /** The receiver's hook: a delivery was refused because Postgres could not be reached. */
  refusals: StorageRefusals;
}

export interface AlertsDependencies {
  config: Config;
  incidents: AlertIncidentRepository;
  settings: AlertSettingsRepository;
  redis: RedisClient;
  sources: Omit<ObserverSources, 'refusals'>;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
  /** The clock; tests move it forward by hours. */
  now?: () => Date;
}

export function createAlerts(deps: AlertsDependencies): Alerts {
  const now = deps.now ?? (() => new Date());
  const { config, redis, log } = deps;
  const { incidents } = deps;
  const source = new AlertSettingsSource(deps.settings, settingsFromConfig(config.alerts));
  const refusals = new StorageRefusals(redis, config.redisPrefix, now);
  const outage = new DatabaseOutageAlerts({
    redis,
    prefix: config.redisPrefix,
    channels: () => channelsFor(source.lastKnown()),
    publicUrl: config.publicUrl,
    log,
  });
  return {
    incidents,
    evaluate: new EvaluateAlerts({ incidents, observer: new AlertObserver({ ...deps.sources, refusals }), outage, publicUrl: config.publicUrl, now, log }),
    send: new SendAlertMessages({ incidents, channels: async () => channelsFor((await source.current()).settings), now, log }),
    notifications: new NotificationSettings(source, config.publicUrl),
    refusals,
  };
}
