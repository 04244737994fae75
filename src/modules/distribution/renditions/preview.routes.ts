import { requireAuth } from '../../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../../platform/http/schemas.ts';
import type { HttpServer } from '../../../platform/http/server.ts';
import type { RenditionPreviewService } from './preview.service.ts';
import { PreviewQuery, PreviewSchema } from './schema.ts';

const tags = ['distribution 多渠道分发'];

export function renditionRoutes(previews: RenditionPreviewService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/items/:id/renditions',
      {
        schema: {
          tags,
          summary: '渠道预览：签发版本在各渠道的样子 / what the signed-off revision becomes on each channel',
          description:
            '不带 channel 时返回全部渠道；编辑可用 latest=true 预览未签发的最新版本（signedOff=false）/ all channels without `channel`; editors may preview the latest unsigned revision with latest=true',
          params: IdParams,
          querystring: PreviewQuery,
          response: { 200: PreviewSchema, ...problemResponses },
        },
      },
      async (request) => previews.preview(requireAuth(request).actor, request.params.id, request.query),
    );
  };
}
