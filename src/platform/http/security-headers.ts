import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from './server.ts';

/**
 * The console's page. Scripts come only from the console's own files (Vite emits no inline script).
 * style-src needs 'unsafe-inline': Ant Design (cssinjs) writes its styles as <style> elements at run
 * time, and the channel previews show renditions whose HTML carries style="" attributes, as WeChat
 * needs them. Inline style cannot run script; script-src stays 'self'. object-src 'self' is for the
 * print page's PDF preview (<object> of /api/print/…), which comes from the platform itself.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'self'",
  "frame-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Swagger UI at /api/docs: its own files and its logo as a data: image. Its bundle inserts a <style>
 * element when an operation is opened (checked in Chromium), hence 'unsafe-inline' for style only.
 * "Try it out" calls the API on the same origin.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isHtml = (reply: FastifyReply) => /^text\/html\b/i.test(String(reply.getHeader('content-type') ?? ''));
const isDocs = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs?');

/**
 * Headers every answer gets unless its route chose its own: nosniff everywhere, so no answer is
 * ever taken for another type than it says; and for the console's and the API docs' pages a CSP,
 * no framing (clickjacking) and no referrer beyond the platform. Pages that set their own CSP
 * (portal, reader pages, uploads) keep it: they are left as their routes made them.
 */
export function installSecurityHeaders(app: HttpServer) {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    if (reply.hasHeader('content-security-policy') || !isHtml(reply)) return payload;
    const url = request.url;
    // Portal and reader pages always carry their own policy; an HTML answer without one is a console
    // page (the index page, any fallback) or the API docs.
    reply.header('content-security-policy', isDocs(url) ? DOCS_CSP : CONSOLE_CSP);
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    return payload;
  });
}
