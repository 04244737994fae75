import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { AssetService } from '../content/assets/assets.service.ts';
import type { ContentService } from '../content/service.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { DeliveryFailureSource } from '../newsroom/workbench.service.ts';
import type { WorkflowService } from '../newsroom/workflow.service.ts';
import { standingFailures } from './deliveries.repo.ts';
import { type AdapterRegistry, createAdapterRegistry } from './adapters/registry.ts';
import { channelRoutes } from './channels.routes.ts';
import { ChannelService } from './channels.service.ts';
import type { ChannelAdapter, MediaLoader } from './contract.ts';
import { DeliveryWorker, type MediaLoaderFor, type WorkerOptions } from './delivery.worker.ts';
import { distributionRoutes } from './distribution.routes.ts';
import { DistributionService } from './distribution.service.ts';
import { OutboxService } from './outbox.service.ts';
import { renditionRoutes } from './renditions/preview.routes.ts';
import { RenditionPreviewService } from './renditions/preview.service.ts';
import { type SecretCipher, SecretBox } from '../../platform/secret-box.ts';
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
  /** Channel adapters other modules own (portal's site channels, print), handed over by the composition root. */
  channelAdapters: readonly ChannelAdapter[];
  /** Tests swap in their own adapters or worker timings. */
  adapters?: AdapterRegistry;
  worker?: Partial<WorkerOptions>;
}

export interface DistributionServices {
  /** The module's parts; tests drive the worker and swap adapters through it. */
  distribution: { channels: ChannelService; outbox: OutboxService; worker: DeliveryWorker; distribution: DistributionService };
  /** 多种生成: what each channel will get from an item's signed-off revision. */
  renditions: RenditionPreviewService;
}

/**
 * 多元传播 wired: channels, the outbox written by the workflow, its workers, and the rendition previews; it
 * contributes a unit's failed deliveries to the newsroom's 工作台.
 */
export function createDistributionModule(db: Db, deps: DistributionDeps): ModuleParts<DistributionServices> & { workbenchFailures: DeliveryFailureSource } {
  const base = publicBase(deps.config);
  const adapters = deps.adapters ?? createAdapterRegistry({ outbound: deps.outbound, base }, deps.channelAdapters);
  const channels = new ChannelService(db, deps.alliance, deps.audit, adapters, new SecretBox(deps.config));
  const outbox = new OutboxService(adapters, deps.queue, base);
  deps.workflow.onMove(outbox.onMove);
  const worker = new DeliveryWorker(db, channels, outbox, mediaFrom(deps.alliance, deps.assets), deps.worker);
  const distribution = new DistributionService(db, deps.content, deps.alliance, deps.audit, outbox);
  const renditions = new RenditionPreviewService(db, deps.content, base);
  return {
    services: { distribution: { channels, outbox, worker, distribution }, renditions },
    workbenchFailures: async (unitId) => {
      const { total, rows } = await standingFailures(db, unitId, 10);
      return {
        total,
        latest: rows.map((r) => ({ id: r.id, itemId: r.item_id, title: r.title, channelName: r.channel_name, error: r.last_error, at: r.updated_at })),
      };
    },
    jobs: worker.jobs(),
    routes: async (app: HttpServer) => {
      await channelRoutes(channels)(app);
      await distributionRoutes(distribution)(app);
      await app.register(renditionRoutes(renditions));
    },
  };
}

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
