import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ModuleParts } from '../../platform/module.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import type { AutomaticCheck } from '../newsroom/checks.ts';
import type { Notifier } from '../newsroom/notifications.ts';
import { AllowListService } from './allow-list.service.ts';
import { AllowProposalService } from './allow-proposals.service.ts';
import { ScreeningConfig } from './config.ts';
import { ItemCheckService } from './item-check.service.ts';
import { LexiconService } from './lexicons.service.ts';
import { LlmScreener } from './llm.ts';
import { PatrolService } from './patrol.service.ts';
import { ReaderTextScreening } from './reader-text.service.ts';
import { screeningRoutes } from './routes.ts';
import { WordingPackService } from './wording-packs.service.ts';

export interface ScreeningDeps {
  db: Db;
  alliance: AllianceService;
  content: ContentService;
  audit: AuditRecorder;
  queue: JobQueue;
  notifier: Notifier;
  outbound: OutboundHttpClient;
  /** The optional LLM screener: on when a base URL is set. */
  config: { llmBaseUrl?: string; llmModel?: string; llmApiKey?: string };
}

export interface ScreeningServices {
  /** The in-memory configuration every check reads; `refresh()` it outside transactions. */
  config: ScreeningConfig;
  lexicons: LexiconService;
  allowList: AllowListService;
  allowProposals: AllowProposalService;
  wordingPacks: WordingPackService;
  itemChecks: ItemCheckService;
  readerText: ReaderTextScreening;
  patrol: PatrolService;
}

/**
 * 智能审核 (screening) wired: lexicons, allow-lists, wording packs, patrol alerts, and the automatic
 * check it contributes to the newsroom workflow (app.ts hands `check` to the workflow).
 */
export function createScreeningModule(deps: ScreeningDeps): ModuleParts<ScreeningServices> & { check: AutomaticCheck } {
  const { db, audit } = deps;
  const { llmBaseUrl, llmModel, llmApiKey } = deps.config;
  const llm = llmBaseUrl ? new LlmScreener({ baseUrl: llmBaseUrl, model: llmModel ?? '', apiKey: llmApiKey ?? '' }, deps.outbound) : null;
  const config = new ScreeningConfig(db, deps.alliance, audit);
  const patrol = new PatrolService(db, config, deps.alliance, deps.content, audit, deps.queue, deps.notifier);
  const services: ScreeningServices = {
    config,
    lexicons: new LexiconService(db, config, audit, patrol),
    allowList: new AllowListService(db, config, audit),
    allowProposals: new AllowProposalService(db, config, audit),
    wordingPacks: new WordingPackService(db, config, audit, patrol),
    itemChecks: new ItemCheckService(config, deps.content, llm),
    readerText: new ReaderTextScreening(config),
    patrol,
  };
  return { services, routes: screeningRoutes(services), jobs: patrol.jobs(), check: services.itemChecks.checkItem };
}
