import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { presentAlert, presentLexicon, presentPack, presentProposal } from './presenter.ts';
import type { AllowListService } from './allow-list.service.ts';
import type { AllowProposalService } from './allow-proposals.service.ts';
import type { ItemCheckService } from './item-check.service.ts';
import type { LexiconService } from './lexicons.service.ts';
import type { PatrolService } from './patrol.service.ts';
import { verdictOf } from './scan.ts';
import * as s from './schema.ts';
import type { WordingPackService } from './wording-packs.service.ts';

const tags = ['screening 智能审核'];
const iso = (d: Date | string) => new Date(d).toISOString();

interface RouteServices {
  lexicons: LexiconService;
  allowList: AllowListService;
  allowProposals: AllowProposalService;
  wordingPacks: WordingPackService;
  itemChecks: ItemCheckService;
  patrol: PatrolService;
}

export function screeningRoutes({ lexicons, allowList, allowProposals, wordingPacks, itemChecks, patrol }: RouteServices) {
  return async (app: HttpServer) => {
    // ---- lexicons 词库
    app.get(
      '/api/screening/lexicons',
      { schema: { tags, summary: '词库列表（联合体通用 + 本单位）/ lexicons that apply to my unit', response: { 200: Type.Object({ items: Type.Array(s.LexiconSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await lexicons.list(requireAuth(request).actor)).map(presentLexicon) }),
    );
    app.post(
      '/api/screening/lexicons',
      { schema: { tags, summary: '新建词库 / create a lexicon', body: s.CreateLexiconBody, response: { 201: s.LexiconSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentLexicon(await lexicons.create(actorContext(request), request.body))),
    );
    app.get(
      '/api/screening/lexicons/:id',
      { schema: { tags, summary: '词库与词条（分页，可按版本）/ a lexicon, its terms (paged, any version) and its versions', params: IdParams, querystring: s.LexiconQuery, response: { 200: s.LexiconDetail, ...problemResponses } } },
      async (request) => {
        const { lexicon, terms, total, versions, manageable } = await lexicons.get(requireAuth(request).actor, request.params.id, request.query);
        return {
          lexicon: presentLexicon({ ...lexicon, manageable }),
          terms: terms.map((t) => ({ term: t.term, category: t.category as 'custom', severity: t.severity, addedVersion: t.added_version })),
          total,
          versions: versions.map((v) => ({ version: v.version, note: v.note, added: v.added, removed: v.removed, changedBy: v.changed_by, changedByName: v.changed_by_name, changedAt: iso(v.changed_at) })),
        };
      },
    );
    app.patch(
      '/api/screening/lexicons/:id',
      { schema: { tags, summary: '改名、说明、启用或停用词库 / rename, describe, enable or disable', params: IdParams, body: s.UpdateLexiconBody, response: { 200: s.LexiconSchema, ...problemResponses } } },
      async (request) => presentLexicon(await lexicons.update(actorContext(request), request.params.id, request.body)),
    );
    app.post(
      '/api/screening/lexicons/:id/terms',
      { schema: { tags, summary: '加入或修改词条（生成新版本）/ add or change terms: a new version', params: IdParams, body: s.AddTermsBody, response: { 200: s.ChangeResult, ...problemResponses } } },
      async (request) => changeResult(await lexicons.addTerms(actorContext(request), request.params.id, request.body.terms, request.body.note)),
    );
    app.delete(
      '/api/screening/lexicons/:id/terms',
      { schema: { tags, summary: '移除词条（生成新版本）/ remove terms: a new version', params: IdParams, body: s.RemoveTermsBody, response: { 200: s.ChangeResult, ...problemResponses } } },
      async (request) => changeResult(await lexicons.removeTerms(actorContext(request), request.params.id, request.body.terms, request.body.note)),
    );
    app.post(
      '/api/screening/lexicons/:id/import',
      {
        schema: {
          tags,
          summary: '导入 txt 或 CSV / import a txt or CSV file',
          description: '任何一行有误则整体拒绝（400，列出行号与原因），词库不变 / any malformed line rejects the import with every line error; nothing changes',
          params: IdParams,
          body: s.ImportBody,
          response: { 200: s.ChangeResult, ...problemResponses },
        },
      },
      async (request) => changeResult(await lexicons.importTerms(actorContext(request), request.params.id, request.body)),
    );
    app.get(
      '/api/screening/lexicons/:id/export',
      { schema: { tags, summary: '导出任一版本（txt 或 CSV）/ export any version', params: IdParams, querystring: s.ExportQuery, response: { 200: Type.String(), ...problemResponses } } },
      async (request, reply) => {
        const { lexicon, version, body } = await lexicons.export(requireAuth(request).actor, request.params.id, request.query.format, request.query.version);
        const file = `lexicon-${lexicon.id}-v${version}.${request.query.format}`;
        return reply
          .type(request.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}"`)
          .send(body);
      },
    );

    // ---- allow-lists 白名单
    app.get(
      '/api/screening/allow-list',
      { schema: { tags, summary: '白名单（联合体通用 + 本单位）/ allow-lists', response: { 200: s.AllowListSchema, ...problemResponses } } },
      async (request) => {
        const { alliance, unit } = await allowList.get(requireAuth(request).actor);
        const present = (r: { term: string; scope: 'alliance' | 'unit'; note: string | null; created_at: Date | string }) => ({ term: r.term, scope: r.scope, note: r.note, createdAt: iso(r.created_at) });
        return { alliance: alliance.map(present), unit: unit.map(present) };
      },
    );
    app.post(
      '/api/screening/allow-list',
      { schema: { tags, summary: '加入或移出白名单 / add to or remove from an allow-list', body: s.AllowChangeBody, response: { 200: Type.Object({ added: Type.Integer(), removed: Type.Integer() }), ...problemResponses } } },
      async (request) => allowList.change(actorContext(request), request.body),
    );

    // ---- 「不是问题」: an editor proposes, a chief editor approves into the unit's allow-list
    app.get(
      '/api/screening/allow-proposals',
      { schema: { tags, summary: '“不是问题”申请 / not-a-problem requests of my unit', querystring: s.ProposalQuery, response: { 200: Type.Object({ items: Type.Array(s.ProposalSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await allowProposals.list(requireAuth(request).actor, request.query.status)).map(presentProposal) }),
    );
    app.post(
      '/api/screening/allow-proposals',
      { schema: { tags, summary: '标记“不是问题”（待主编确认）/ mark a finding as a false hit', body: s.ProposeBody, response: { 201: s.ProposalSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentProposal(await allowProposals.propose(actorContext(request), request.body))),
    );
    app.post(
      '/api/screening/allow-proposals/:id/decide',
      { schema: { tags, summary: '主编同意（加入本单位白名单）或驳回 / approve into the allow-list or reject', params: s.ProposalParams, body: s.DecideBody, response: { 200: s.ProposalSchema, ...problemResponses } } },
      async (request) => presentProposal(await allowProposals.decide(actorContext(request), String(request.params.id), request.body.decision)),
    );

    // ---- wording packs 规范表述
    app.get(
      '/api/screening/wording-packs',
      { schema: { tags, summary: '规范表述规则包 / wording rule packs', response: { 200: Type.Object({ items: Type.Array(s.PackSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await wordingPacks.list(requireAuth(request).actor)).map(presentPack) }),
    );
    app.post(
      '/api/screening/wording-packs',
      { schema: { tags, summary: '新建规则包 / create a pack', body: s.CreatePackBody, response: { 201: s.PackSchema, ...problemResponses } } },
      async (request, reply) => reply.code(201).send(presentPack(await wordingPacks.create(actorContext(request), request.body))),
    );
    app.get(
      '/api/screening/wording-packs/:id',
      { schema: { tags, summary: '规则包 / a pack', params: IdParams, response: { 200: s.PackSchema, ...problemResponses } } },
      async (request) => presentPack(await wordingPacks.get(requireAuth(request).actor, request.params.id)),
    );
    app.put(
      '/api/screening/wording-packs/:id',
      { schema: { tags, summary: '修改规则包 / change a pack', params: IdParams, body: s.UpdatePackBody, response: { 200: s.PackSchema, ...problemResponses } } },
      async (request) => presentPack(await wordingPacks.update(actorContext(request), request.params.id, request.body)),
    );
    app.delete(
      '/api/screening/wording-packs/:id',
      { schema: { tags, summary: '删除规则包 / delete a pack', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
      async (request, reply) => {
        await wordingPacks.delete(actorContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    // ---- checks
    app.post(
      '/api/screening/test',
      { schema: { tags, summary: '检测一段文字 / test a text against my unit’s lexicons and rules', body: s.TestBody, response: { 200: s.FindingsResult, ...problemResponses } } },
      async (request) => itemChecks.testText(requireAuth(request).actor, request.body),
    );
    app.get(
      '/api/items/:id/screening',
      { schema: { tags, summary: '稿件的自动审核结果（用于正文标注）/ automatic findings for an item', params: IdParams, response: { 200: s.FindingsResult, ...problemResponses } } },
      async (request) => {
        const findings = await itemChecks.itemFindings(requireAuth(request).actor, request.params.id);
        return { findings, verdict: verdictOf(findings) };
      },
    );

    // ---- patrol alerts 巡查告警
    app.get(
      '/api/screening/alerts',
      { schema: { tags, summary: '本单位巡查告警 / patrol alerts of my unit', querystring: s.AlertQuery, response: { 200: Type.Object({ items: Type.Array(s.AlertSchema) }), ...problemResponses } } },
      async (request) => ({ items: (await patrol.listAlerts(requireAuth(request).actor, request.query)).map(presentAlert) }),
    );
    app.post(
      '/api/screening/alerts/:id/resolve',
      { schema: { tags, summary: '处理巡查告警 / resolve a patrol alert', params: s.AlertParams, body: s.ResolveBody, response: { 200: s.AlertSchema, ...problemResponses } } },
      async (request) => presentAlert(await patrol.resolveAlert(actorContext(request), String(request.params.id), request.body.resolution)),
    );
  };
}

const changeResult = (r: { version: number; added: number; removed: number; changed: boolean }) => ({ version: r.version, added: r.added, removed: r.removed, changed: r.changed });
