import crypto from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { checkedJsonParser, clientErrorHandler, frameworkErrors, rejectNulInUrl } from './edge.ts';
import { errorHandler, sendProblem } from './errors.ts';
import { Problem } from './problem.ts';
import { validatorCompiler } from './validation.ts';

export type HttpServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Fastify with the platform's conventions: request ids, problem+json errors, OpenAPI at /api/docs. */
export async function createHttpServer(config: Pick<Config, 'logLevel' | 'bodyLimitBytes'> & Partial<Pick<Config, 'trustedProxies'>>): Promise<HttpServer> {
  const trusted = config.trustedProxies ?? [];
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-For is believed only from the proxies the operator names; otherwise anyone could
    // pick the address that sign-in throttling, sessions and the audit log record.
    trustProxy: trusted.length ? trusted : false,
    requestIdHeader: false,
    // A caller's own x-request-id is kept when it looks sane, so a trace can cross services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    // Bad percent-encoding and unreadable requests answer problem+json like everything else.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  // Set as the request arrives, so every answer carries it without a hook on the way out.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onRequest', rejectNulInUrl);
  // JSON bodies pass the edge checks (NUL, nesting depth) before Fastify's own parser and ajv.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, checkedJsonParser(defaultJson));

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tianfu 天府融媒 API',
        version: '0.1.0',
        description: '天府融媒联合体平台接口。Sign in with POST /api/session (cookie + x-csrf-token) or a personal API token (Authorization: Bearer tf_…).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tianfu_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  return app;
}

/** Unknown API paths answer problem+json; anything else falls through to the console's index page. */
export function notFoundProblem(path: string) {
  return new Problem(404, 'no_route', `没有这个接口：${path}`, `No such endpoint: ${path}`);
}

export { sendProblem };
