import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { Problem } from '../../platform/http/problem.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { renderHtml } from '../content/doc.ts';
import { assetUrl, type Snapshot } from '../content/service.ts';
import type { WorkflowService } from './workflow.service.ts';
import { ActBody, ActParams, ActResult, PolicySchema, PublishedSchema, QueueSchema, TransitionSchema, WorkflowStateSchema } from './workflow.schema.ts';

const tags = ['newsroom 采编流程'];
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function workflowRoutes(workflow: WorkflowService) {
  return async (app: HttpServer) => {
    app.post(
      '/api/items/:id/workflow/:action',
      {
        schema: {
          tags,
          summary: '流转：提交、通过、退回、退稿、定时、发布、撤稿 / move an item: submit, approve, return, reject, schedule, publish, retract',
          description: '不合法的流转返回 409，并列出当前状态与可执行的操作 / an invalid move answers 409 naming the current state and the allowed moves',
          params: ActParams,
          body: ActBody,
          response: { 200: ActResult, ...problemResponses },
        },
      },
      async (request) => workflow.act(actorContext(request), request.params.id, request.params.action, request.body),
    );

    app.get(
      '/api/items/:id/workflow',
      { schema: { tags, summary: '稿件流程状态 / where the item stands in review', params: IdParams, response: { 200: WorkflowStateSchema, ...problemResponses } } },
      async (request) => {
        const { actor } = requireAuth(request);
        const { item, policy, state, allowed, yours, mayOverride, mayReview, findings, lastApproved } = await workflow.state(actor, request.params.id);
        const inChain = item.status === 'submitted' || item.status === 'in_review';
        return {
          status: item.status,
          level: inChain ? (state?.level ?? null) : null,
          levelName: inChain && state ? (policy.levels[state.level - 1]?.name ?? null) : null,
          round: state?.round ?? 1,
          revision: item.revision,
          signedOffRevision: state?.signed_off_revision ?? null,
          signedOffBy: state?.signed_off_by ?? null,
          signedOffAt: iso(state?.signed_off_at ?? null),
          publishAt: iso(state?.publish_at ?? null),
          publishedRevision: state?.published_revision ?? null,
          publishedAt: iso(state?.published_at ?? null),
          lastApprovedRevision: lastApproved,
          allowedActions: allowed,
          yourActions: yours,
          mayOverride,
          mayReview,
          findings,
          policy,
        };
      },
    );

    app.get(
      '/api/items/:id/timeline',
      { schema: { tags, summary: '稿件时间线 / every transition and who made it', params: IdParams, response: { 200: Type.Object({ items: Type.Array(TransitionSchema) }), ...problemResponses } } },
      async (request) => {
        const rows = await workflow.timeline(requireAuth(request).actor, request.params.id);
        return {
          items: rows.map((r) => ({
            id: Number(r.id),
            action: r.action,
            fromStatus: r.from_status,
            toStatus: r.to_status,
            level: r.level,
            round: r.round,
            revision: r.revision,
            actorId: r.actor_id,
            actorName: r.actor_name,
            comment: r.comment,
            overrideReason: r.override_reason,
            findings: r.findings ?? [],
            at: iso(r.at)!,
          })),
        };
      },
    );

    app.get(
      '/api/items/:id/published',
      { schema: { tags, summary: '已发布的签发版本 / the signed-off revision readers see', params: IdParams, response: { 200: PublishedSchema, ...problemResponses } } },
      async (request) => {
        const published = await workflow.published(requireAuth(request).actor, request.params.id);
        if (!published) throw new Problem(404, 'not_published', '稿件尚未发布', 'The item is not published');
        const snap = published.snapshot as Snapshot;
        return {
          revision: published.revision,
          title: snap.title,
          bodyHtml: renderHtml(snap.body as Parameters<typeof renderHtml>[0], assetUrl),
          bodyText: published.bodyText,
          snapshot: snap,
          publishedAt: iso(published.publishedAt),
          correctionNote: published.correctionNote,
        };
      },
    );

    app.get(
      '/api/review/queue',
      { schema: { tags, summary: '我的审核队列 / items waiting at levels my role acts at', response: { 200: QueueSchema, ...problemResponses } } },
      async (request) => {
        const { policy, items } = await workflow.queue(requireAuth(request).actor);
        return {
          policy,
          items: items.map((i) => ({
            id: i.id,
            title: i.title,
            type: i.type,
            status: i.status,
            level: i.level,
            levelName: policy.levels[i.level - 1]?.name ?? '',
            revision: i.revision,
            authorName: i.author_name,
            updatedAt: iso(i.updated_at)!,
          })),
        };
      },
    );

    app.get(
      '/api/review/policy',
      { schema: { tags, summary: '本单位审核流程 / the review chain of my unit', response: { 200: PolicySchema, ...problemResponses } } },
      async (request) => workflow.readPolicy(requireAuth(request).actor),
    );

    app.put(
      '/api/review/policy',
      { schema: { tags, summary: '设置审核流程（单位管理员）/ set the review chain', body: PolicySchema, response: { 200: PolicySchema, ...problemResponses } } },
      async (request) => workflow.savePolicy(actorContext(request), request.body),
    );
  };
}
