import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A route handler for a plain file shipped beside a module (the portal's tracker, account and push
 * scripts, the favicon): read once at start, sent with an ETag of its bytes, 304 when the browser has it.
 */
export function staticFile(file: URL, cacheControl = 'public, max-age=3600', type = 'application/javascript; charset=utf-8') {
  const source = fs.readFileSync(file, 'utf8');
  const etag = `"${crypto.createHash('sha256').update(source).digest('base64url').slice(0, 16)}"`;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('etag', etag).header('cache-control', cacheControl);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(type).send(source);
  };
}
