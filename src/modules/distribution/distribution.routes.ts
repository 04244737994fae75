import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { DistributionService } from './distribution.service.ts';
import { DeliverySchema, ItemDistributionSchema } from './schema.ts';

const tags = ['distribution 多元传播'];

export function distributionRoutes(distribution: DistributionService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/items/:id/distribution',
      {
        schema: {
          tags,
          summary: '稿件各渠道投递状态 / per-channel delivery status of an item',
          params: IdParams,
          response: { 200: ItemDistributionSchema, ...problemResponses },
        },
      },
      async (request) => distribution.itemStatus(requireAuth(request).actor, request.params.id),
    );

    app.post(
      '/api/deliveries/:id/retry',
      {
        schema: {
          tags,
          summary: '重新投递失败的记录（主编及以上）/ retry a failed delivery',
          params: IdParams,
          response: { 200: DeliverySchema, ...problemResponses },
        },
      },
      async (request) => distribution.retry(actorContext(request), request.params.id),
    );
  };
}
