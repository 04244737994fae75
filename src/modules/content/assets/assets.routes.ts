import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../../platform/http/auth.ts';
import { Problem } from '../../../platform/http/problem.ts';
import { IdParams, ProblemSchema, problemResponses } from '../../../platform/http/schemas.ts';
import type { HttpServer } from '../../../platform/http/server.ts';
import { presentAsset } from './assets.presenter.ts';
import { AssetDetailSchema, AssetListQuery, AssetSchema, ContentQuery, UpdateAssetBody, UploadResultSchema } from './assets.schema.ts';
import type { AssetService } from './assets.service.ts';

const tags = ['assets 媒资库'];

/** Multipart framing, field headers and the small form fields on top of the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export function assetRoutes(assets: AssetService) {
  return async (app: HttpServer) => {
    // Registered here, not on the root, so only the upload route ever parses multipart bodies.
    await app.register(multipart, {
      limits: { files: 1, fields: 40, parts: 42, fieldSize: 8 * 1024, fieldNameSize: 100, headerPairs: 20, fileSize: assets.maxBytes + 1 },
    });

    app.post(
      '/api/assets',
      {
        schema: {
          tags,
          summary: '上传媒资 / upload an asset (multipart/form-data: file, caption, tags)',
          description:
            '类型由文件内容识别，扩展名或声明类型不符时 415；大小上限按类型（图片 20 MB、音频 100 MB、视频 500 MB、文档 20 MB）超出时 413。' +
            '本单位已有相同文件（SHA-256）时返回 200 和已有媒资，duplicate 为 true，不新建记录。\n' +
            'The type comes from the bytes (415 when the name or declared type disagrees); per-kind size limits answer 413. ' +
            'When the unit already holds the same bytes (SHA-256) the answer is 200 with the existing asset and duplicate: true; nothing new is stored.',
          response: { 200: UploadResultSchema, 201: UploadResultSchema, 413: ProblemSchema, 415: ProblemSchema, ...problemResponses },
        },
        // Refused before the body was read whole (too large, wrong type): close the connection after
        // answering, or the unread rest of the upload would be taken for the client's next request.
        onSend: async (request: FastifyRequest, reply: FastifyReply) => {
          if (reply.statusCode >= 400 && !request.raw.complete) reply.header('connection', 'close');
        },
        // A body announced larger than any allowed file is refused before a byte of it is read.
        onRequest: async (request: FastifyRequest) => {
          const length = Number(request.headers['content-length'] ?? 0);
          if (length > assets.maxBytes + MULTIPART_OVERHEAD) {
            throw new Problem(
              413,
              'file_too_large',
              `文件过大：最大 ${Math.round(assets.maxBytes / 1024 / 1024)} MB（图片 ${mb(assets.limits.image)}、音频 ${mb(assets.limits.audio)}、视频 ${mb(assets.limits.video)}、文档 ${mb(assets.limits.document)}）`,
              `The file is too large: at most ${mb(assets.maxBytes)} (images ${mb(assets.limits.image)}, audio ${mb(assets.limits.audio)}, video ${mb(assets.limits.video)}, documents ${mb(assets.limits.document)})`,
              { limitBytes: assets.maxBytes },
            );
          }
        },
      },
      async (request, reply) => {
        const ctx = actorContext(request);
        if (!request.isMultipart()) {
          throw new Problem(415, 'not_multipart', '上传请使用 multipart/form-data，文件放在 file 字段', 'Upload with multipart/form-data, the file in the "file" field');
        }
        const { asset, duplicate } = await assets.upload(ctx, request.parts());
        return reply.code(duplicate ? 200 : 201).send({ ...presentAsset(asset, ctx.actor), duplicate });
      },
    );

    app.get(
      '/api/assets',
      {
        schema: {
          tags,
          summary: '媒资库检索：说明/文件名、标签、单位、类型、日期 / search the library by caption, tag, unit, kind and date',
          querystring: AssetListQuery,
          response: { 200: Type.Object({ items: Type.Array(AssetSchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const rows = await assets.list(actor, request.query);
        return { items: rows.map((r) => presentAsset(r, actor)) };
      },
    );

    app.get(
      '/api/assets/:id',
      { schema: { tags, summary: '媒资详情 / one asset, with the items using it', params: IdParams, response: { 200: AssetDetailSchema, ...problemResponses } } },
      async (request) => {
        const { actor } = requireAuth(request);
        const asset = await assets.get(actor, request.params.id);
        const usedBy = await assets.usedBy(actor, asset);
        return { ...presentAsset(asset, actor), usedBy: usedBy.map((i) => ({ id: i.id, title: i.title, unitId: i.unit_id })) };
      },
    );

    app.patch(
      '/api/assets/:id',
      {
        schema: { tags, summary: '修改说明和标签 / edit caption and tags', params: IdParams, body: UpdateAssetBody, response: { 200: AssetSchema, ...problemResponses } },
      },
      async (request) => {
        const ctx = actorContext(request);
        return presentAsset(await assets.update(ctx, request.params.id, request.body), ctx.actor);
      },
    );

    app.delete(
      '/api/assets/:id',
      {
        schema: {
          tags,
          summary: '删除媒资（仍被稿件使用时 409）/ delete an asset (409 while an item uses it)',
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await assets.delete(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/assets/:id/content',
      {
        schema: {
          tags,
          summary: '媒资文件（原件或衍生版本，支持 Range）/ the bytes: original or a variant, with Range support',
          params: IdParams,
          querystring: ContentQuery,
          response: { 416: ProblemSchema, ...problemResponses },
        },
      },
      async (request, reply) => sendBytes(request, reply, assets, request.params.id, request.query.variant),
    );
  };
}

/**
 * Uploads are served from the console's own origin, so a file opened directly must not be able to act
 * as the console: the sandbox gives it an opaque origin with no scripts, forms or plugins, and nothing
 * may be loaded but the picture or sound itself (the browser's own viewer needs inline style).
 */
export const UPLOAD_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/**
 * Pictures, sound and video are shown where they are opened; anything else — PDF (which can carry
 * JavaScript and runs in the browser's viewer), office files — is a download, never a page.
 */
export function dispositionFor(mime: string): 'inline' | 'attachment' {
  return /^(image|audio|video)\//.test(mime) && !/^image\/svg/.test(mime) ? 'inline' : 'attachment';
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * The bytes with what a browser and a CDN need: the real type, an ETag from the checksum (the bytes
 * of an id never change, so caches may keep them), and single byte ranges for video and audio seeking.
 */
async function sendBytes(request: FastifyRequest, reply: FastifyReply, assets: AssetService, id: string, variant: string | undefined) {
  const { actor } = requireAuth(request);
  const bytes = await assets.bytes(actor, id, variant);
  reply.header('etag', bytes.etag);
  // private: access depends on who asks; immutable: an asset id never gets other bytes.
  reply.header('cache-control', 'private, max-age=31536000, immutable');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', UPLOAD_CSP);
  reply.header('accept-ranges', 'bytes');
  const name = bytes.variant === 'original' ? bytes.asset.original_name : `${bytes.variant}-${bytes.asset.original_name}`;
  reply.header('content-disposition', `${dispositionFor(bytes.mime)}; filename*=UTF-8''${encodeURIComponent(name)}`);
  if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(bytes.etag)) return reply.code(304).send();

  const range = parseRange(request.headers.range, bytes.size);
  if (range === 'invalid') {
    reply.header('content-range', `bytes */${bytes.size}`);
    throw new Problem(416, 'bad_range', '请求的字节范围超出文件大小', 'The requested byte range is outside the file', { size: bytes.size });
  }
  const stream = await assets.open(bytes.key, range ?? undefined);
  reply.type(bytes.mime);
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${bytes.size}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else {
    reply.header('content-length', String(bytes.size));
  }
  return reply.send(stream);
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges are answered with the whole file. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}
