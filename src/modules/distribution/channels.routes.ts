import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ChannelService } from './channels.service.ts';
import { presentChannel } from './presenter.ts';
import { ChannelKindInfoSchema, ChannelListQuery, ChannelSchema, CreateChannelBody, UpdateChannelBody } from './schema.ts';

const tags = ['distribution 多元传播'];

export function channelRoutes(channels: ChannelService) {
  const present = (row: Parameters<typeof presentChannel>[0]) => presentChannel(row, channels.adapters.get(row.kind));
  return async (app: HttpServer) => {
    app.get(
      '/api/channel-kinds',
      { schema: { tags, summary: '可用的渠道类型及其设置项 / channel kinds with their settings schemas', response: { 200: Type.Object({ items: Type.Array(ChannelKindInfoSchema) }), ...problemResponses } } },
      async (request) => {
        requireAuth(request);
        return { items: channels.kinds() };
      },
    );

    app.get(
      '/api/channels',
      {
        schema: {
          tags,
          summary: '单位的渠道（不含凭据）/ a unit’s channels, credentials never included',
          querystring: ChannelListQuery,
          response: { 200: Type.Object({ items: Type.Array(ChannelSchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const rows = await channels.list(actor, request.query.unitId, { enabled: request.query.enabled });
        return { items: rows.map(present) };
      },
    );

    app.post(
      '/api/channels',
      { schema: { tags, summary: '新增渠道（单位管理员）/ add a channel', body: CreateChannelBody, response: { 201: ChannelSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(present(await channels.create(actorContext(request), request.body))),
    );

    app.get(
      '/api/channels/:id',
      { schema: { tags, summary: '渠道详情 / one channel', params: IdParams, response: { 200: ChannelSchema, ...problemResponses } } },
      async (request) => present(await channels.get(requireAuth(request).actor, request.params.id)),
    );

    app.patch(
      '/api/channels/:id',
      {
        schema: {
          tags,
          summary: '修改、停用渠道；凭据只写 / edit or disable a channel; credentials are write-only',
          params: IdParams,
          body: UpdateChannelBody,
          response: { 200: ChannelSchema, ...problemResponses },
        },
      },
      async (request) => present(await channels.update(actorContext(request), request.params.id, request.body)),
    );

    app.delete(
      '/api/channels/:id',
      {
        schema: {
          tags,
          summary: '删除未使用过的渠道 / delete a channel that never delivered',
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await channels.remove(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
