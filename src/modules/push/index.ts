import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ReaderAuth } from '../readers/reader-auth.ts';
import { type SecretCipher, SecretBox } from '../../platform/secret-box.ts';
import type { PushAdapter } from './adapters/contract.ts';
import { createGetuiAdapter } from './adapters/getui.ts';
import { createJPushAdapter } from './adapters/jpush.ts';
import { createWebPushAdapter } from './adapters/webpush.ts';
import { CampaignService } from './campaigns.service.ts';
import { type Clock, systemClock } from './quiet-hours.ts';
import { RegistrationService } from './registrations.service.ts';
import { pushRoutes } from './routes.ts';
import { PushScope } from './scope.ts';
import { SegmentService } from './segments.service.ts';
import type { PushKind } from './tables.ts';
import { VapidStore } from './vapid.ts';

export interface PushConfig {
  secretKey?: string;
  secretCipher?: SecretCipher;
  dataDir?: string;
  publicBase: string;
  /** Pushes per reader per 24 h across the alliance (default 3); not yet read from the environment. */
  pushCap?: number;
  clock?: Clock;
  adapters?: Partial<Record<PushKind, PushAdapter>>;
}

/** 精准推送: segments, campaigns (quiet hours, frequency cap) and the Web Push / JPush / Getui channels. */
export function createPushModule(
  db: Db,
  deps: { alliance: AllianceService; audit: AuditRecorder; queue: JobQueue; outbound: OutboundHttpClient; readerAuth: ReaderAuth; config: PushConfig },
) {
  const { config } = deps;
  // One clock for the module; tests move it (quiet hours, frequency caps) through pushClock.now.
  const pushClock = { now: config.clock ?? systemClock };
  const clock: Clock = () => pushClock.now();
  const box = new SecretBox(config);
  const scope = new PushScope(deps.alliance);
  const vapid = new VapidStore(db, box, `mailto:push@${new URL(config.publicBase).hostname}`);
  const adapters = new Map<PushKind, PushAdapter>([
    ['webpush', createWebPushAdapter({ http: deps.outbound, vapid: () => vapid.keys() })],
    ['jpush', createJPushAdapter({ http: deps.outbound })],
    ['getui', createGetuiAdapter({ http: deps.outbound })],
  ]);
  for (const [kind, adapter] of Object.entries(config.adapters ?? {})) adapters.set(kind as PushKind, adapter);
  const pushSegments = new SegmentService(db, scope, deps.audit, clock);
  const pushCampaigns = new CampaignService(db, deps.alliance, scope, pushSegments, adapters, box, deps.queue, deps.audit, clock, {
    capPer24h: config.pushCap ?? 3,
    publicBase: config.publicBase,
  });
  const pushRegistrations = new RegistrationService(db, scope, box, vapid, deps.audit);
  const services = { pushSegments, pushCampaigns, pushRegistrations, pushVapid: vapid, pushClock };
  const parts: ModuleParts<typeof services> = {
    services,
    routes: pushRoutes({ pushSegments, pushCampaigns, pushRegistrations, readerAuth: deps.readerAuth }),
    jobs: pushCampaigns.jobs(),
  };
  return parts;
}
