import type { Db } from '../../../platform/db/database.ts';
import { conflict, forbidden } from '../../../platform/http/problem.ts';
import type { Actor } from '../../../policies/index.ts';
import type { AssetUrl } from '../../content/doc.ts';
import type { ContentService } from '../../content/service.ts';
import { type ChannelKind, channelKinds } from '../contract.ts';
import { loadRenditionSource } from '../source.ts';
import { publicationState } from '../../newsroom/queries.ts';
import { listChannels } from '../channels.repo.ts';
import { renderFor, strictestOptions } from './index.ts';
import { can, renditions as renditionRules, requireAccess } from '../../../policies/index.ts';

/** In the console, pictures come from the signed-in asset route (the public address may be another host). */
const consoleAssetUrl: AssetUrl = (assetId) => `/api/assets/${encodeURIComponent(assetId)}/content?variant=medium`;

export class RenditionPreviewService {
  constructor(
    private readonly db: Db,
    private readonly content: ContentService,
    /** The platform's public URL (publicBase(config)): links in renditions point there. */
    private readonly base: string,
  ) {}

  /**
   * The renditions of the item's signed-off (else published) revision, as they will be sent; for an editor, the latest
   * revision instead when asked or when nothing is signed off yet, flagged as not signed off.
   */
  async preview(actor: Actor, itemId: string, query: { channel?: ChannelKind; latest?: boolean }) {
    const item = await this.content.get(actor, itemId);
    requireAccess(actor, renditionRules.preview, item);
    const state = await publicationState(this.db, itemId);
    // An edit sends a signed-off story back to review and clears its sign-off; what went out (the
    // published revision) was signed off and stays the one channels have until the edit is.
    const signedOffRevision = state?.signed_off_revision ?? state?.published_revision ?? null;
    const latest = query.latest === true || signedOffRevision === null;
    if (latest && !can(actor, renditionRules.previewUnsigned, item)) {
      throw signedOffRevision === null
        ? conflict('not_signed_off', '稿件尚未签发，签发后可预览各渠道版本', 'The item has not been signed off; its renditions can be previewed after sign-off')
        : forbidden('只有编辑及以上可以预览未签发的版本', 'Only editors and above may preview a revision that is not signed off');
    }
    const revision = latest ? item.revision : signedOffRevision!;
    const source = await loadRenditionSource(this.db, itemId, revision, this.base);
    const kinds = query.channel ? [query.channel] : channelKinds;
    // The unit's own channels may set stricter limits (a short app card title): preview with them.
    const channels = await listChannels(this.db, item.unit_id, { enabled: true });
    const limitsFor = (kind: ChannelKind) => strictestOptions(channels.filter((c) => c.kind === kind).map((c) => c.config));
    return {
      itemId,
      revision,
      latestRevision: item.revision,
      signedOffRevision,
      signedOff: revision === signedOffRevision,
      channels: channels.filter((c) => kinds.includes(c.kind)).map((c) => ({ id: c.id, kind: c.kind, name: c.name })),
      renditions: kinds.map((kind) => renderFor(kind, source, { ...limitsFor(kind), assetUrl: consoleAssetUrl })),
    };
  }
}
