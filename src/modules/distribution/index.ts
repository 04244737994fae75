import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { AssetService } from '../content/assets/assets.service.ts';
import type { ContentService } from '../content/service.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { WorkflowService } from '../newsroom/workflow.service.ts';
import { type AdapterRegistry, createAdapterRegistry } from './adapters/registry.ts';
import { channelRoutes } from './channels.routes.ts';
import { ChannelService } from './channels.service.ts';
import type { MediaLoader } from './contract.ts';
import { DeliveryWorker, type MediaLoaderFor, type WorkerOptions } from './delivery.worker.ts';
import { distributionRoutes } from './distribution.routes.ts';
import { DistributionService } from './distribution.service.ts';
import { OutboxService } from './outbox.service.ts';
import { type SecretCipher, SecretBox } from './secret-box.ts';
import { publicBase } from './urls.ts';

export interface DistributionDeps {
  alliance: AllianceService;
  content: ContentService;
  assets: AssetService;
  workflow: WorkflowService;
  queue: JobQueue;
  outbound: OutboundHttpClient;
  audit: AuditRecorder;
  config: { dataDir?: string; secretKey?: string; secretCipher?: SecretCipher; publicUrl?: string; port?: number };
  /** Tests swap in their own adapters or worker timings. */
  adapters?: AdapterRegistry;
  worker?: Partial<WorkerOptions>;
}

/** The distribution module wired: channels, the outbox written by the workflow, and its workers. */
export function createDistribution(db: Db, deps: DistributionDeps) {
  const base = publicBase(deps.config);
  const adapters = deps.adapters ?? createAdapterRegistry({ db, outbound: deps.outbound, base });
  const channels = new ChannelService(db, deps.alliance, deps.audit, adapters, new SecretBox(deps.config));
  const outbox = new OutboxService(adapters, deps.queue, base);
  deps.workflow.onMove(outbox.onMove);
  const worker = new DeliveryWorker(db, channels, outbox, mediaFrom(deps.alliance, deps.assets), deps.worker);
  const distribution = new DistributionService(db, deps.content, deps.alliance, deps.audit, outbox);
  return {
    channels,
    outbox,
    worker,
    distribution,
    jobs: worker.jobs(),
    routes: async (app: HttpServer) => {
      await channelRoutes(channels)(app);
      await distributionRoutes(distribution)(app);
    },
  };
}

export type Distribution = ReturnType<typeof createDistribution>;

/** Picture and video bytes for adapters that upload them, read as the channel's unit. */
function mediaFrom(alliance: AllianceService, assets: AssetService): MediaLoaderFor {
  return (channel) => {
    const loader: MediaLoader = {
      async load(assetId, rendition) {
        const unit = await alliance.getUnit(channel.unit_id);
        const actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'unit_admin' as const };
        const found = await assets.bytes(actor, assetId, rendition);
        const chunks: Buffer[] = [];
        for await (const chunk of await assets.open(found.key)) chunks.push(chunk as Buffer);
        const ext = found.mime.split('/')[1] ?? 'bin';
        return { bytes: Buffer.concat(chunks), mime: found.mime, filename: `${assetId}.${rendition === 'original' ? found.asset.original_name.split('.').pop() || ext : ext}` };
      },
    };
    return loader;
  };
}
