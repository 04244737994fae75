import type { AuditMeta, AuditRecorder } from '../../../platform/audit.ts';
import { ingestSource, requireAccess } from '../../../policies/index.ts';
import type { Db } from '../../../platform/db/database.ts';
import { OutboundError, type OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { Problem, badRequest, conflict, notFound } from '../../../platform/http/problem.ts';
import type { JobQueue } from '../../../platform/jobs.ts';
import type { Actor } from '../../../policies/index.ts';
import type { ActorContext, AllianceService } from '../../alliance/service.ts';
import { docFromText, plainText } from '../doc.ts';
import type { ContentService } from '../service.ts';
import { NEAR_DUPLICATE_BITS, contentFingerprint } from '../understanding/understanding.service.ts';
import { ZERO_FINGERPRINT, unitNearDuplicate } from '../understanding/understanding.repo.ts';
import { FeedParseError, type ParsedFeed } from './feed.ts';
import * as repo from './ingest.repo.ts';
import type { CreateSourceInput, UpdateSourceInput } from './ingest.schema.ts';
import { parseFeed } from './parse.ts';

/**
 * 汇聚: scheduled pulls of RSS/Atom, JSON Feed, NINJS and NewsML-G2 sources into a unit's incoming
 * queue (status 'incoming'; an editor accepts an item into the hub with POST /api/items/:id/accept).
 *
 * A pull fetches through the SSRF-guarded outbound client (conditional GET with ETag/Last-Modified),
 * parses every entry before touching the database, and then imports in ONE transaction: new guids
 * become items, guids the source delivered before are skipped, and so is an entry whose SimHash is
 * within 3 bits of an item the unit received or wrote in the last 30 days. Any fetch or parse
 * problem marks the source 'error' with a message in Chinese and English and imports nothing.
 */

export const SOURCE = { zh: '汇聚源', en: 'Ingest source' };
export const INGEST_PULL_JOB = 'ingest.pull';
export const INGEST_SCHEDULE_JOB = 'ingest.schedule';
/** How far back near-duplicates are looked for among a unit's items. */
export const NEAR_DUPLICATE_DAYS = 30;
/** Limits for one fetch: feeds are small; a bigger answer is a mistake or an attack. */
export const FETCH_TIMEOUT_MS = 20_000;
export const FETCH_MAX_BYTES = 5 * 1024 * 1024;

class PullFailure extends Error {
  constructor(
    readonly zh: string,
    en: string,
  ) {
    super(en);
  }
}

export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
    private readonly content: ContentService,
    private readonly alliance: AllianceService,
    private readonly queue: JobQueue,
    /** The guarded outbound client; tests hand in one that may reach loopback. */
    public outbound: OutboundHttpClient,
  ) {}

  list(actor: Actor) {
    requireAccess(actor, ingestSource.read);
    return repo.listSources(this.db, actor.unitId);
  }

  /** Sources are scoped to the caller's active unit: another unit's source is simply not found. */
  async get(actor: Actor, id: string, db = this.db): Promise<repo.SourceRow> {
    requireAccess(actor, ingestSource.read);
    const source = await repo.findSource(db, actor.unitId, id);
    if (!source) throw notFound(SOURCE, id);
    return source;
  }

  private async forManage(db: Db, actor: Actor, id: string) {
    await this.get(actor, id, db);
    requireAccess(actor, ingestSource.manage);
    return (await repo.lockSource(db, actor.unitId, id))!;
  }

  /** Refuses a URL the outbound client would refuse anyway (scheme, credentials, private IP literal). */
  private checkUrl(url: string) {
    try {
      this.outbound.checkUrl(url);
    } catch (err) {
      if (err instanceof OutboundError) throw badRequest(err.code, err.zh, err.message);
      throw err;
    }
  }

  private async assertUrlFree(db: Db, unitId: string, url: string, exceptId?: string) {
    const existing = await repo.findSourceByUrl(db, unitId, url);
    if (existing && existing.id !== exceptId) {
      throw conflict('source_exists', `本单位已有同一地址的汇聚源「${existing.name}」`, `Your unit already has a source with this URL: ${existing.name}`);
    }
  }

  async create(ctx: ActorContext, input: CreateSourceInput) {
    requireAccess(ctx.actor, ingestSource.manage);
    this.checkUrl(input.url);
    return this.db.transaction().execute(async (trx) => {
      await this.assertUrlFree(trx, ctx.actor.unitId, input.url);
      const row = await repo.insertSource(trx, {
        unitId: ctx.actor.unitId,
        name: input.name.trim(),
        url: input.url,
        format: input.format ?? 'auto',
        intervalMinutes: input.intervalMinutes ?? 30,
        paused: input.paused ?? false,
        createdBy: ctx.actor.userId,
      });
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'ingest.source.create', targetType: 'ingest_source', targetId: row.id, after: auditView(row) });
      return row;
    });
  }

  async update(ctx: ActorContext, id: string, input: UpdateSourceInput) {
    if (input.url !== undefined) this.checkUrl(input.url);
    return this.db.transaction().execute(async (trx) => {
      const before = await this.forManage(trx, ctx.actor, id);
      const change: repo.SourceChange = {};
      if (input.name !== undefined) change.name = input.name.trim();
      if (input.format !== undefined) change.format = input.format;
      if (input.intervalMinutes !== undefined) change.interval_minutes = input.intervalMinutes;
      if (input.paused !== undefined) change.paused = input.paused;
      if (input.url !== undefined && input.url !== before.url) {
        await this.assertUrlFree(trx, ctx.actor.unitId, input.url, id);
        // A new address answers for itself: forget the old one's validators.
        Object.assign(change, { url: input.url, etag: null, last_modified: null });
      }
      const after = await repo.updateSource(trx, ctx.actor.unitId, id, change);
      await this.audit(trx, ctx, { unitId: after.unit_id, action: 'ingest.source.update', targetType: 'ingest_source', targetId: id, before: auditView(before), after: auditView(after) });
      return after;
    });
  }

  /** Removes the source and what it has seen; the items it brought in stay in the hub. */
  async remove(ctx: ActorContext, id: string) {
    await this.db.transaction().execute(async (trx) => {
      const before = await this.forManage(trx, ctx.actor, id);
      await repo.deleteSource(trx, ctx.actor.unitId, id);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'ingest.source.delete', targetType: 'ingest_source', targetId: id, before: auditView(before) });
    });
  }

  /** 立即拉取: a pull now, by an editor; paused sources too (pause stops the schedule only). */
  async pullNow(ctx: ActorContext, id: string): Promise<repo.PullResult> {
    const source = await this.get(ctx.actor, id);
    requireAccess(ctx.actor, ingestSource.pull);
    return this.pull(source, ctx);
  }

  /** The scheduled pull of one source, run by the ingest.pull job as the source's creator. */
  async pullScheduled(unitId: string, id: string): Promise<repo.PullResult | { status: 'skipped'; reason: string }> {
    const source = await repo.findSource(this.db, unitId, id);
    if (!source) return { status: 'skipped', reason: 'gone' };
    if (source.paused) return { status: 'skipped', reason: 'paused' };
    const unit = await this.alliance.getUnit(unitId);
    // Items are created in the creator's name, with an editor's rights in the source's unit; the
    // audit rows say no person asked for it (actorUserId null).
    const actor: Actor = { userId: source.created_by, unitId, unitPath: unit.path, role: 'editor' };
    return this.pull(source, { actor, actorUserId: null, requestId: `job:${INGEST_PULL_JOB}` });
  }

  /** The cron job's work: enqueue a pull for every source that is due (one per source per minute). */
  async enqueueDue(): Promise<{ unitId: string; sourceId: string }[]> {
    const due = await repo.dueSources(this.db);
    const out: { unitId: string; sourceId: string }[] = [];
    for (const s of due) {
      await this.queue.enqueue(this.db, INGEST_PULL_JOB, { unitId: s.unit_id, sourceId: s.id }, { singletonKey: s.id, singletonSeconds: 60 });
      out.push({ unitId: s.unit_id, sourceId: s.id });
    }
    return out;
  }

  private async pull(source: repo.SourceRow, ctx: ActorContext): Promise<repo.PullResult> {
    const started = performance.now();
    const result = (r: Partial<repo.PullResult>): repo.PullResult => ({
      status: 'ok',
      entries: 0,
      imported: 0,
      seen: 0,
      nearDuplicates: 0,
      error: null,
      errorEn: null,
      ms: Math.round(performance.now() - started),
      at: new Date().toISOString(),
      ...r,
    });

    // 1. Fetch and parse everything, outside any transaction.
    let feed: ParsedFeed;
    let validators: { etag: string | null; lastModified: string | null };
    try {
      const headers: Record<string, string> = {
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      };
      if (source.etag) headers['if-none-match'] = source.etag;
      if (source.last_modified) headers['if-modified-since'] = source.last_modified;
      const res = await this.outbound.request(source.url, { headers, timeoutMs: FETCH_TIMEOUT_MS, maxBodyBytes: FETCH_MAX_BYTES });
      if (res.status === 304) {
        const r = result({ status: 'not_modified' });
        await this.db.transaction().execute(async (trx) => {
          await repo.recordSuccess(trx, source.unit_id, source.id, { result: r, imported: 0 });
          await this.audit(trx, ctx, { unitId: source.unit_id, action: 'ingest.pull', targetType: 'ingest_source', targetId: source.id, after: r });
        });
        return r;
      }
      if (res.status < 200 || res.status >= 300) throw new PullFailure(`源站返回 HTTP ${res.status}`, `The feed answered HTTP ${res.status}`);
      feed = parseFeed(res.text(), source.format);
      validators = { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null };
    } catch (err) {
      return this.fail(source, ctx, err, result);
    }

    // 2. Import all new entries in one transaction, or none.
    try {
      return await this.db.transaction().execute(async (trx) => {
        const locked = await repo.lockSource(trx, source.unit_id, source.id);
        if (!locked) throw new Problem(404, 'not_found', '汇聚源已被删除', 'The source was deleted during the pull');
        const seen = await repo.seenGuids(trx, source.unit_id, source.id, feed.entries.map((e) => e.guid));
        const counts = { entries: feed.entries.length, imported: 0, seen: 0, nearDuplicates: 0 };
        const sourceName = feed.title ?? source.name;
        for (const e of feed.entries) {
          if (seen.has(e.guid)) {
            counts.seen++;
            continue;
          }
          seen.add(e.guid);
          const body = docFromText(e.paragraphs.join('\n'));
          const fingerprint = contentFingerprint({ title: e.title, body_text: plainText(body) });
          // Near-duplicates in SQL over the unit's recent items — this pull's earlier entries included,
          // since they are already inserted in this transaction.
          const twin =
            fingerprint === ZERO_FINGERPRINT ? undefined : await unitNearDuplicate(trx, source.unit_id, fingerprint, NEAR_DUPLICATE_BITS, NEAR_DUPLICATE_DAYS);
          if (twin) {
            counts.nearDuplicates++;
            await repo.recordSeen(trx, { unitId: source.unit_id, sourceId: source.id, guid: e.guid, itemId: null, simhash: fingerprint, link: e.link, skipped: 'near_duplicate' });
            continue;
          }
          const item = await this.content.create(
            ctx,
            {
              type: 'article',
              title: e.title,
              summary: e.summary,
              body,
              byline: e.byline,
              source: sourceName.slice(0, 200),
              creditLine: (e.creditLine ?? sourceName).slice(0, 200),
              tags: e.tags,
              ...(e.language ? { language: e.language } : {}),
              note: `汇聚自 ${source.name}`,
            },
            { status: 'incoming', simhash: fingerprint },
            trx,
          );
          await repo.recordSeen(trx, { unitId: source.unit_id, sourceId: source.id, guid: e.guid, itemId: item.id, simhash: fingerprint, link: e.link, skipped: null });
          counts.imported++;
        }
        const r = result({ status: 'ok', ...counts });
        await repo.recordSuccess(trx, source.unit_id, source.id, { result: r, imported: counts.imported, etag: validators.etag, lastModified: validators.lastModified });
        await this.audit(trx, ctx, { unitId: source.unit_id, action: 'ingest.pull', targetType: 'ingest_source', targetId: source.id, after: r });
        return r;
      });
    } catch (err) {
      return this.fail(source, ctx, err, result);
    }
  }

  /** Marks the source in error; nothing else of the pull was written. */
  private async fail(source: repo.SourceRow, ctx: AuditMeta, err: unknown, result: (r: Partial<repo.PullResult>) => repo.PullResult) {
    const { zh, en } = describe(err);
    const r = result({ status: 'error', error: zh, errorEn: en });
    await this.db.transaction().execute(async (trx) => {
      await repo.recordFailure(trx, source.unit_id, source.id, `${zh} / ${en}`, r);
      await this.audit(trx, ctx, { unitId: source.unit_id, action: 'ingest.pull', targetType: 'ingest_source', targetId: source.id, after: r });
    });
    return r;
  }
}

function describe(err: unknown): { zh: string; en: string } {
  if (err instanceof FeedParseError) return { zh: `解析失败：${err.zh}`, en: `Parse failed: ${err.message}` };
  if (err instanceof OutboundError) return { zh: `抓取失败：${err.zh}`, en: `Fetch failed: ${err.message}` };
  if (err instanceof PullFailure) return { zh: `抓取失败：${err.zh}`, en: `Fetch failed: ${err.message}` };
  if (err instanceof Problem) return { zh: `导入失败：${err.zh}`, en: `Import failed: ${err.en}` };
  const message = err instanceof Error ? err.message : String(err);
  return { zh: `导入失败：${message}`, en: `Import failed: ${message}` };
}

function auditView(s: repo.SourceRow) {
  return { name: s.name, url: s.url, format: s.format, intervalMinutes: s.interval_minutes, paused: s.paused };
}
