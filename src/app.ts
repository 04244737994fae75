import { AllianceService } from './modules/alliance/service.ts';
import { contentRoutes } from './modules/content/routes.ts';
import { ContentService } from './modules/content/service.ts';
import { SharingService } from './modules/content/sharing.service.ts';
import { ingestJobs } from './modules/content/ingest/ingest.jobs.ts';
import { ingestRoutes } from './modules/content/ingest/ingest.routes.ts';
import { IngestService } from './modules/content/ingest/ingest.service.ts';
import { CategoryModels } from './modules/content/understanding/category-model.ts';
import { understandingJobs } from './modules/content/understanding/understanding.jobs.ts';
import { understandingRoutes } from './modules/content/understanding/understanding.routes.ts';
import { UnderstandingService } from './modules/content/understanding/understanding.service.ts';
import { searchRoutes } from './modules/content/search/search.routes.ts';
import { SearchService } from './modules/content/search/search.service.ts';
import { assetRoutes } from './modules/content/assets/assets.routes.ts';
import { AssetService } from './modules/content/assets/assets.service.ts';
import { FileStorage, assetDirFor } from './modules/content/assets/storage.ts';
import { allianceRoutes } from './modules/alliance/routes.ts';
import { unfinishedStoryCheck } from './modules/newsroom/checks.ts';
import { CollaborationService } from './modules/newsroom/collaboration.service.ts';
import { newsroomJobs } from './modules/newsroom/jobs.ts';
import { planningRoutes } from './modules/newsroom/planning.routes.ts';
import { PlanningService } from './modules/newsroom/planning.service.ts';
import { Notifier } from './modules/newsroom/notifications.ts';
import { notificationRoutes } from './modules/newsroom/notifications.routes.ts';
import { WebhookService } from './modules/newsroom/webhooks.ts';
import { workflowRoutes } from './modules/newsroom/workflow.routes.ts';
import { WorkflowService } from './modules/newsroom/workflow.service.ts';
import { AuditService, recordAudit } from './modules/identity/audit.service.ts';
import { createScreeningModule } from './modules/screening/index.ts';
import { RenditionPreviewService } from './modules/distribution/renditions/preview.service.ts';
import { renditionRoutes } from './modules/distribution/renditions/preview.routes.ts';
import { AuthService } from './modules/identity/auth.service.ts';
import { identityJobs } from './modules/identity/jobs.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { auditChainRoutes } from './modules/identity/audit.routes.ts';
import { createReaderServices, readerRoutes } from './modules/readers/index.ts';
import { createRecommend, recommendRoutes } from './modules/recommend/index.ts';
import { createPushServices, pushRoutes } from './modules/push/index.ts';
import { StaffService } from './modules/identity/staff.service.ts';
import { SecurityPolicyService } from './modules/identity/security-policy.ts';
import { SecretBox } from './modules/distribution/secret-box.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { installAuth } from './platform/http/auth.ts';
import { serveConsole } from './platform/http/console.ts';
import { PortalService } from './modules/portal/portal.service.ts';
import { portalRoutes } from './modules/portal/routes.ts';
import { publicBase } from './modules/distribution/urls.ts';
import { printRoutes } from './modules/print/print.routes.ts';
import { PrintService } from './modules/print/print.service.ts';
import { healthRoutes } from './platform/http/health.ts';
import { createHttpServer } from './platform/http/server.ts';
import { OutboundHttpClient } from './platform/http-client/outbound.ts';
import { type JobDefinition, JobQueue } from './platform/jobs.ts';
import { createDistribution } from './modules/distribution/index.ts';

type ReaderCodeSetting = 'smsHourlyBudget' | 'emailHourlyBudget' | 'readerCodeIpHourly' | 'readerCodePowAfter' | 'readerCodePowBits';
export type AppConfig = Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'sessionHours' | 'secureCookies' | 'auditRetentionDays'> &
  Partial<Pick<Config, 'trustedProxies' | 'outboundAllowPrivate' | 'dataDir' | 'assetDir' | 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'publicUrl' | 'secretKey' | 'port' | 'smsGateway' | 'emailSmtp' | 'auditHash' | 'secretCipher' | ReaderCodeSetting>>;

/** The composition root: one service per domain, wired once, shared by HTTP routes, jobs and the CLI. */
export function createServices(
  db: Db,
  config: Pick<AppConfig, 'sessionHours' | 'auditRetentionDays' | 'outboundAllowPrivate' | 'dataDir' | 'assetDir' | 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'publicUrl' | 'secretKey' | 'port' | 'smsGateway' | 'emailSmtp' | ReaderCodeSetting> &
    Partial<Pick<Config, 'auditHash' | 'secretCipher' | ReaderCodeSetting>>,
) {
  const alliance = new AllianceService(db, recordAudit);
  const securityPolicy = new SecurityPolicyService(db, alliance, recordAudit);
  // TOTP secrets are sealed with the same key as channel credentials.
  const auth = new AuthService(db, alliance, recordAudit, config.sessionHours, securityPolicy, new SecretBox(config));
  const staff = new StaffService(db, alliance, recordAudit);
  const audit = new AuditService(db, alliance, { hash: config.auditHash });
  const queue = new JobQueue();
  const content = new ContentService(db, recordAudit, queue);
  const sharing = new SharingService(db, content, alliance, recordAudit);
  // Outbound HTTP refuses private and loopback targets unless the operator allows them.
  const outbound = new OutboundHttpClient({ allowPrivate: config.outboundAllowPrivate ?? false });
  const understanding = new UnderstandingService(db, recordAudit, content, new CategoryModels(db));
  const ingest = new IngestService(db, recordAudit, content, alliance, queue, outbound);
  const search = new SearchService(db);
  // The index is written inside each save's transaction, so search never lags the hub.
  content.onSave(search.write);
  const assets = new AssetService(db, recordAudit, content, new FileStorage(assetDirFor(config)));
  const notifier = new Notifier(db, queue);
  const workflow = new WorkflowService(db, content, alliance, recordAudit, notifier);
  workflow.addCheck(unfinishedStoryCheck);
  // 智能审核: lexicons, wording, typos, AI labels and (when configured) an LLM, as one check.
  const screening = createScreeningModule({ db, alliance, content, audit: recordAudit, queue, notifier, outbound, config });
  workflow.addCheck(screening.check);
  const webhooks = new WebhookService(db, recordAudit, outbound);
  const planning = new PlanningService(db, alliance, content, recordAudit, notifier);
  const collaboration = new CollaborationService(db, content, alliance, recordAudit, notifier);
  // 多种生成: what each channel will get from an item's signed-off revision.
  const renditions = new RenditionPreviewService(db, content, publicBase(config));
  // 报纸版面: the print pool and the unit's laid-out pages.
  const print = new PrintService(db, assets, recordAudit, publicBase(config));
  // 多元传播: channels, the outbox the workflow writes when it publishes, and the delivery workers.
  const distribution = createDistribution(db, { alliance, content, assets, workflow, queue, outbound, audit: recordAudit, config });
  const jobs: JobDefinition[] = [...identityJobs(audit, config.auditRetentionDays, () => auth.purgeExpiredSessions())];
  jobs.push(...understandingJobs(understanding), ...ingestJobs(ingest), ...newsroomJobs(workflow, planning), ...webhooks.jobs(), ...screening.jobs, ...distribution.jobs);
  // 用户库: reader accounts, consent and reading events.
  const readers = createReaderServices(db, alliance, recordAudit, outbound, config);
  jobs.push(...readers.readerJobs);
  // The reader side (portal, feeds, app API) reads only the site store the site adapters write.
  const portal = new PortalService(db, alliance, publicBase(config));
  // 推荐: the hybrid feed over the site store, learning from reading events incrementally.
  const { recommend, recommendJobs } = createRecommend(db, alliance, recordAudit);
  jobs.push(...recommendJobs);
  // 精准推送: segments, campaigns (quiet hours, frequency cap) and the Web Push / JPush / Getui channels.
  const push = createPushServices(db, { alliance, audit: recordAudit, queue, outbound }, { ...config, publicBase: publicBase(config) });
  jobs.push(...push.pushCampaigns.jobs());
  return { print, distribution, ...readers, ...push, portal, recommend, renditions, alliance, auth, securityPolicy, staff, audit, content, sharing, search, assets, queue, jobs, understanding, ingest, outbound, notifier, workflow, webhooks, planning, collaboration, screening: screening.services, screeningRoutes: screening.routes };
}

export type Services = ReturnType<typeof createServices>;

export async function createApp(db: Db, config: AppConfig) {
  const services = createServices(db, config);
  const app = await createHttpServer(config);
  installAuth(app, {
    session: (token) => services.auth.resolveSession(token),
    apiToken: (token) => services.auth.resolveApiToken(token),
  });
  await app.register(healthRoutes(db));
  await app.register(allianceRoutes(services.alliance));
  await app.register(identityRoutes({ ...services, secureCookies: config.secureCookies }));
  await app.register(auditChainRoutes(services.audit));
  await app.register(contentRoutes(services.content, services.sharing));
  await app.register(understandingRoutes(services.understanding));
  await app.register(ingestRoutes(services.ingest));
  await app.register(searchRoutes(services.search));
  await app.register(assetRoutes(services.assets));
  await app.register(workflowRoutes(services.workflow));
  await app.register(services.screeningRoutes);
  await app.register(renditionRoutes(services.renditions));
  await app.register(notificationRoutes(services.notifier));
  await app.register(planningRoutes(services.planning, services.collaboration, services.webhooks));
  await app.register(printRoutes(services.print));
  await app.register(services.distribution.routes);
  await app.register(readerRoutes({ ...services, secureCookies: config.secureCookies }));
  await app.register(recommendRoutes(services));
  await app.register(pushRoutes(services));
  await app.register(portalRoutes(services.portal));
  await serveConsole(app);
  return { app, services };
}
