import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { Actor } from '../../policies/index.ts';
import { toNinjs } from './ninjs.ts';
import { presentItem, presentItemSummary, presentWorkingCopy } from './presenter.ts';
import {
  CreateItemBody,
  DiffQuery,
  DiffSchema,
  ItemListQuery,
  ItemSchema,
  ItemSummarySchema,
  RelayDownBody,
  RelaySchema,
  RelaysQuery,
  RelayUpBody,
  RestoreBody,
  RevisionParams,
  RevisionSchema,
  ShareBody,
  UpdateItemBody,
  WorkingCopyBody,
  WorkingCopySchema,
} from './schema.ts';
import { type ContentService, assetUrl } from './service.ts';
import type { SharingService } from './sharing.service.ts';
import type { ContentItemRow } from './tables.ts';

const tags = ['content 稿库'];
const iso = (d: Date | string) => new Date(d).toISOString();

export function contentRoutes(content: ContentService, sharing: SharingService) {
  const present = async (actor: Actor, row: ContentItemRow) => {
    const unitNames = await content.unitNames([row.unit_id, ...(row.origin_unit_id ? [row.origin_unit_id] : [])]);
    const specialItems = row.type === 'special' ? await content.specialMembers(actor, row.id) : undefined;
    return presentItem(row, actor, { unitNames, adoptions: await content.adoptions(row.id), specialItems });
  };

  return async (app: HttpServer) => {
    app.get(
      '/api/items',
      {
        schema: {
          tags,
          summary: '稿库列表：本单位、共享稿池、汇聚待处理 / the hub: own unit, shared pool, incoming queue',
          querystring: ItemListQuery,
          response: { 200: Type.Object({ items: Type.Array(ItemSummarySchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const { view = 'unit', limit = 30, offset = 0, ...rest } = request.query;
        const rows = await content.list(actor, { view, limit, offset, ...rest });
        const unitNames = await content.unitNames([...new Set(rows.flatMap((r) => [r.unit_id, ...(r.origin_unit_id ? [r.origin_unit_id] : [])]))]);
        return { items: rows.map((r) => presentItemSummary(r, unitNames)) };
      },
    );

    app.post(
      '/api/items',
      { schema: { tags, summary: '新建稿件 / create an item', body: CreateItemBody, response: { 201: ItemSchema, ...problemResponses } } },
      async (request, reply) => {
        const ctx = actorContext(request);
        const row = await content.create(ctx, request.body);
        return reply.code(201).send(await present(ctx.actor, row));
      },
    );

    app.get(
      '/api/items/:id',
      { schema: { tags, summary: '稿件详情 / one item', params: IdParams, response: { 200: ItemSchema, ...problemResponses } } },
      async (request) => {
        const { actor } = requireAuth(request);
        return present(actor, await content.get(actor, request.params.id));
      },
    );

    app.patch(
      '/api/items/:id',
      {
        schema: {
          tags,
          summary: '保存（生成新修订）/ save, keeping a revision; send baseRevision to detect conflicts',
          params: IdParams,
          body: UpdateItemBody,
          response: { 200: ItemSchema, ...problemResponses },
        },
      },
      async (request) => {
        const ctx = actorContext(request);
        return present(ctx.actor, await content.update(ctx, request.params.id, request.body));
      },
    );

    const workingCopyResponse = { 200: WorkingCopySchema, ...problemResponses };

    app.get(
      '/api/items/:id/working-copy',
      { schema: { tags, summary: '我的自动保存（未存为版本的修改）/ my autosaved edits, not yet a revision', params: IdParams, response: workingCopyResponse } },
      async (request) => ({ workingCopy: presentWorkingCopy(await content.workingCopy(requireAuth(request).actor, request.params.id)) }),
    );

    app.put(
      '/api/items/:id/working-copy',
      {
        schema: {
          tags,
          summary: '自动保存：保留修改但不生成新版本 / autosave: keep edits without numbering a revision; send baseRevision to detect conflicts',
          params: IdParams,
          body: WorkingCopyBody,
          response: workingCopyResponse,
        },
      },
      async (request) => ({ workingCopy: presentWorkingCopy(await content.keepWorkingCopy(actorContext(request), request.params.id, request.body)) }),
    );

    app.delete(
      '/api/items/:id/working-copy',
      { schema: { tags, summary: '放弃我的自动保存 / discard my autosaved edits', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await content.discardWorkingCopy(requireAuth(request).actor, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/items/:id/ninjs',
      {
        schema: {
          tags,
          summary: 'NINJS 2.1 导出 / IPTC NINJS export',
          params: IdParams,
          response: { 200: Type.Record(Type.String(), Type.Unknown()), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const row = await content.get(actor, request.params.id);
        const names = await content.unitNames([row.unit_id, ...(row.origin_unit_id ? [row.origin_unit_id] : [])]);
        const baseUrl = `${request.protocol}://${request.host}`;
        return toNinjs(row, {
          baseUrl,
          unitName: names.get(row.unit_id) ?? '',
          originUnitName: row.origin_unit_id ? names.get(row.origin_unit_id) : undefined,
          assetUrl,
        });
      },
    );

    app.get(
      '/api/items/:id/revisions',
      {
        schema: { tags, summary: '修订历史 / revision history', params: IdParams, response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }), ...problemResponses } },
      },
      async (request) => {
        const rows = await content.revisions(requireAuth(request).actor, request.params.id);
        return {
          items: rows.map((r) => ({ number: r.number, note: r.note, authorId: r.author_id, authorName: r.author_name, createdAt: iso(r.created_at) })),
        };
      },
    );

    app.get(
      '/api/items/:id/revisions/:number',
      {
        schema: {
          tags,
          summary: '查看某个修订 / one revision',
          params: RevisionParams,
          response: { 200: Type.Intersect([RevisionSchema, Type.Object({ snapshot: Type.Unknown(), bodyText: Type.String() })]), ...problemResponses },
        },
      },
      async (request) => {
        const r = await content.revision(requireAuth(request).actor, request.params.id, request.params.number);
        return { number: r.number, note: r.note, authorId: r.author_id, authorName: r.author_name, createdAt: iso(r.created_at), snapshot: r.snapshot, bodyText: r.body_text };
      },
    );

    app.get(
      '/api/items/:id/diff',
      {
        schema: { tags, summary: '两个修订的差异（按句、按字）/ diff two revisions', params: IdParams, querystring: DiffQuery, response: { 200: DiffSchema, ...problemResponses } },
      },
      async (request) => content.diff(requireAuth(request).actor, request.params.id, request.query.from, request.query.to),
    );

    app.post(
      '/api/items/:id/revisions/:number/restore',
      {
        schema: { tags, summary: '恢复到某个修订 / restore a revision', params: RevisionParams, body: RestoreBody, response: { 200: ItemSchema, ...problemResponses } },
      },
      async (request) => {
        const ctx = actorContext(request);
        return present(ctx.actor, await content.restore(ctx, request.params.id, request.params.number, request.body.note));
      },
    );

    app.put(
      '/api/items/:id/share',
      { schema: { tags, summary: '设置共享范围 / set the share scope', params: IdParams, body: ShareBody, response: { 200: ItemSchema, ...problemResponses } } },
      async (request) => {
        const ctx = actorContext(request);
        return present(ctx.actor, await sharing.share(ctx, request.params.id, request.body.scope, request.body.unitIds));
      },
    );

    app.post(
      '/api/items/:id/accept',
      {
        schema: {
          tags,
          summary: '采纳汇聚稿件进入稿库（转为草稿）/ accept an incoming item into the hub as a draft',
          params: IdParams,
          response: { 200: ItemSchema, ...problemResponses },
        },
      },
      async (request) => {
        const ctx = actorContext(request);
        return present(ctx.actor, await content.accept(ctx, request.params.id));
      },
    );

    const relayResponse = { 201: Type.Object({ relays: Type.Integer() }), ...problemResponses };

    app.post(
      '/api/items/:id/relay-up',
      { schema: { tags, summary: '上报给上级单位 / relay up to the parent unit', params: IdParams, body: RelayUpBody, response: relayResponse } },
      async (request, reply) => {
        const rows = await sharing.relayUp(actorContext(request), request.params.id, request.body.note, request.body.toUnitId);
        return reply.code(201).send({ relays: rows.length });
      },
    );

    app.post(
      '/api/items/:id/relay-down',
      { schema: { tags, summary: '下发给下级单位 / relay down to chosen units', params: IdParams, body: RelayDownBody, response: relayResponse } },
      async (request, reply) => {
        const rows = await sharing.relayDown(actorContext(request), request.params.id, request.body.unitIds, request.body.note);
        return reply.code(201).send({ relays: rows.length });
      },
    );

    app.post(
      '/api/items/:id/adopt',
      { schema: { tags, summary: '采用到本单位稿库 / adopt a copy into your unit', params: IdParams, response: { 201: ItemSchema, ...problemResponses } } },
      async (request, reply) => {
        const ctx = actorContext(request);
        return reply.code(201).send(await present(ctx.actor, await sharing.adopt(ctx, request.params.id)));
      },
    );

    app.get(
      '/api/relays',
      {
        schema: {
          tags,
          summary: '收到的上报与下发 / items relayed up or down to your unit',
          querystring: RelaysQuery,
          response: { 200: Type.Object({ items: Type.Array(RelaySchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const rows = await sharing.inbox(actorContext(request), request.query);
        return {
          items: rows.map((d) => ({
            id: d.id,
            direction: d.direction,
            itemId: d.item_id,
            title: d.title,
            type: d.type,
            fromUnitId: d.from_unit_id,
            fromUnitName: d.from_unit_name,
            sentByName: d.sent_by_name,
            note: d.note,
            adoptedItemId: d.adopted_item_id,
            revision: d.revision,
            createdAt: iso(d.created_at),
          })),
        };
      },
    );

    app.get(
      '/api/schemas/content-item.json',
      { schema: { tags, summary: '稿件 JSON Schema / the JSON schema of an item', response: { 200: Type.Record(Type.String(), Type.Unknown()) } } },
      async () => ({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'urn:tianfu:content-item', title: 'Tianfu content item 天府融媒稿件', ...ItemSchema }),
    );
  };
}
