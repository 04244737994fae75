import { createAllianceModule } from './modules/alliance/index.ts';
import { createContentModule } from './modules/content/index.ts';
import { createDistributionModule } from './modules/distribution/index.ts';
import { publicBase } from './modules/distribution/urls.ts';
import { recordAudit } from './modules/identity/audit.service.ts';
import { createIdentityModule } from './modules/identity/index.ts';
import { createNewsroomModule } from './modules/newsroom/index.ts';
import { createPortalModule } from './modules/portal/index.ts';
import { createPrintModule } from './modules/print/index.ts';
import { createPushModule } from './modules/push/index.ts';
import { createReadersModule } from './modules/readers/index.ts';
import { createRecommendModule } from './modules/recommend/index.ts';
import { createScreeningModule } from './modules/screening/index.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { installAuth } from './platform/http/auth.ts';
import { serveConsole } from './platform/http/console.ts';
import { healthRoutes } from './platform/http/health.ts';
import { createHttpServer } from './platform/http/server.ts';
import { OutboundHttpClient } from './platform/http-client/outbound.ts';
import { JobQueue } from './platform/jobs.ts';

type ReaderCodeSetting = 'smsHourlyBudget' | 'emailHourlyBudget' | 'readerCodeIpHourly' | 'readerCodePowAfter' | 'readerCodePowBits';
export type AppConfig = Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'sessionHours' | 'secureCookies' | 'auditRetentionDays'> &
  Partial<Pick<Config, 'trustedProxies' | 'outboundAllowPrivate' | 'dataDir' | 'assetDir' | 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'publicUrl' | 'secretKey' | 'port' | 'smsGateway' | 'emailSmtp' | 'auditHash' | 'secretCipher' | ReaderCodeSetting>>;
type ServicesConfig = Pick<AppConfig, 'sessionHours' | 'auditRetentionDays' | 'outboundAllowPrivate' | 'dataDir' | 'assetDir' | 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'publicUrl' | 'secretKey' | 'port' | 'smsGateway' | 'emailSmtp' | ReaderCodeSetting> &
  Partial<Pick<Config, 'secureCookies' | 'auditHash' | 'secretCipher' | ReaderCodeSetting>>;

/**
 * The composition root: each module's factory builds its services, routes and jobs once; this only assembles
 * them in the order of the flow and hands each module what others contribute to it (workflow checks, channel
 * adapters), so no module imports against the flow. HTTP, jobs and the CLI share the one set of services.
 */
function assemble(db: Db, config: ServicesConfig) {
  const queue = new JobQueue();
  // Outbound HTTP refuses private and loopback targets unless the operator allows them.
  const outbound = new OutboundHttpClient({ allowPrivate: config.outboundAllowPrivate ?? false });
  const audit = recordAudit;
  const base = publicBase(config);
  const alliance = createAllianceModule(db, { audit });
  const deps = { alliance: alliance.services.alliance, audit, queue, outbound };
  const identity = createIdentityModule(db, { ...deps, config });
  const content = createContentModule(db, { ...deps, config });
  const newsroom = createNewsroomModule(db, { ...deps, content: content.services.content });
  // 智能审核: lexicons, wording, typos, AI labels and (when configured) an LLM, as one workflow check.
  const screening = createScreeningModule({ ...deps, db, content: content.services.content, notifier: newsroom.services.notifier, config });
  newsroom.services.workflow.addCheck(screening.check);
  const print = createPrintModule(db, { assets: content.services.assets, audit, base });
  const portal = createPortalModule(db, { alliance: deps.alliance, audit, base });
  const distribution = createDistributionModule(db, {
    ...deps,
    content: content.services.content,
    assets: content.services.assets,
    workflow: newsroom.services.workflow,
    config,
    channelAdapters: [...print.channelAdapters, ...portal.channelAdapters],
  });
  newsroom.services.workbench.useDeliveryFailures(distribution.workbenchFailures);
  const readers = createReadersModule(db, { ...deps, config });
  const readerAuth = readers.services.readerAuth;
  const recommend = createRecommendModule(db, { ...deps, readerAuth });
  const push = createPushModule(db, { ...deps, readerAuth, config: { ...config, publicBase: base } });
  const modules = [alliance, identity, content, newsroom, screening, print, distribution, readers, recommend, push, portal];
  const services = {
    ...alliance.services,
    ...identity.services,
    ...content.services,
    ...newsroom.services,
    screening: screening.services,
    ...print.services,
    ...distribution.services,
    ...readers.services,
    ...recommend.services,
    ...push.services,
    ...portal.services,
    queue,
    outbound,
    jobs: modules.flatMap((m) => m.jobs),
  };
  const routes = modules.map((m) => m.routes);
  return { services, routes };
}

/** Every module's services (and all jobs), for the server, the CLI and tests. */
export function createServices(db: Db, config: ServicesConfig) {
  return assemble(db, config).services;
}

export type Services = ReturnType<typeof createServices>;

export async function createApp(db: Db, config: AppConfig) {
  const { services, routes } = assemble(db, config);
  const app = await createHttpServer(config);
  installAuth(app, {
    session: (token) => services.auth.resolveSession(token),
    apiToken: (token) => services.auth.resolveApiToken(token),
  });
  await app.register(healthRoutes(db));
  for (const plugin of routes) await app.register(plugin);
  await serveConsole(app);
  return { app, services };
}
