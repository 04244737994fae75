// 一次采集、多元传播 at alliance scale: one story taken up by all 210 member units and published by
// each to its feed and to a signed webhook, through the real path (the publish transaction writes the
// outbox; the delivery worker drains it). The same deliveries sent one at a time, unbatched, are the baseline.
import { performance } from 'node:perf_hooks';
import { createServices } from '../src/app.ts';
import { seedAlliance } from '../src/modules/alliance/seed.ts';
import { docFromText } from '../src/modules/content/doc.ts';
import { DeliveryWorker } from '../src/modules/distribution/delivery.worker.ts';
import { WebhookReceiver } from '../src/test/webhook-receiver.ts';
import { SYSTEM_USER_ID } from '../src/modules/identity/system.ts';
import { openDatabase, type DatabaseTarget } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import type { Benchmark } from './harness.ts';

const STORY = '川渝携手推进成渝地区双城经济圈建设。今年以来，两地共同推进重大项目建设，交通、产业、公共服务一体化步伐加快。';
const secretFor = (unitId: string) => `bench-signing-secret-${unitId}`;

const benchmark: Benchmark = {
  name: 'fanout',
  description: 'one story published by all 210 units to their feed and a signed webhook (420 deliveries), batched worker vs one-at-a-time',
  async run(ctx) {
    const url = process.env.BENCH_DATABASE_URL;
    const target: DatabaseTarget = url ? { kind: 'postgres', url } : { kind: 'pglite-memory' };
    ctx.progress(`database: ${target.kind}; migrating and seeding`);
    const handle = await openDatabase(target);
    const receiver = await new WebhookReceiver((path) => secretFor(path.split('/').pop()!)).start();
    try {
      await migrateToLatest(handle.db);
      await seedAlliance(handle.db);
      const services = createServices(handle.db, { sessionHours: 12, auditRetentionDays: 365, outboundAllowPrivate: true });
      const root = (await services.alliance.findRoot())!;
      const units = (await handle.db.selectFrom('units').select(['id', 'path']).where('id', '!=', root.id).execute()).slice(0, 210);
      ctx.progress(`${units.length} units: adding a feed and a webhook channel to each`);
      const admin = { actor: { userId: SYSTEM_USER_ID, unitId: root.id, unitPath: root.path, role: 'alliance_admin' as const }, actorUserId: SYSTEM_USER_ID };
      for (const unit of units) {
        await services.distribution.channels.create(admin, { unitId: unit.id, kind: 'feed', name: '订阅源' });
        await services.distribution.channels.create(admin, {
          unitId: unit.id,
          kind: 'webhook',
          name: '本单位推送',
          config: { url: `${receiver.base}/hook/${unit.id}` },
          secrets: { signingSecret: secretFor(unit.id) },
        });
      }

      /** Each unit's copy of the story, signed off (the review chain is not what is measured here). */
      const prepare = async (round: string) => {
        const ids: { unit: (typeof units)[number]; itemId: string }[] = [];
        for (const unit of units) {
          const actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'chief_editor' as const };
          const item = await services.content.create({ actor, actorUserId: SYSTEM_USER_ID }, { type: 'article', title: `成渝双城经济圈建设提速（${round}）`, body: docFromText(STORY) });
          await handle.db.insertInto('review_states').values({ unit_id: unit.id, item_id: item.id, signed_off_revision: item.revision, signed_off_at: new Date() }).execute();
          await handle.db.updateTable('content_items').set({ status: 'signed_off' }).where('id', '=', item.id).execute();
          ids.push({ unit, itemId: item.id });
        }
        return ids;
      };
      const publishAll = async (ids: Awaited<ReturnType<typeof prepare>>) => {
        for (const { unit, itemId } of ids) {
          const actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'alliance_admin' as const };
          await services.workflow.act({ actor, actorUserId: SYSTEM_USER_ID }, itemId, 'publish', {});
        }
      };
      const pending = async () =>
        Number((await handle.db.selectFrom('distribution_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'delivered').executeTakeFirstOrThrow()).n);

      const media = () => ({ load: () => Promise.reject(new Error('no media in this benchmark')) });
      const measure = async (label: string, worker: DeliveryWorker) => {
        const ids = await prepare(label);
        ctx.progress(`${label}: publishing ${ids.length} stories (outbox written in each publish transaction)`);
        const started = performance.now();
        await publishAll(ids);
        const published = performance.now();
        ctx.progress(`${label}: published in ${((published - started) / 1000).toFixed(1)} s; delivering`);
        for (let round = 0; (await pending()) > 0; round++) {
          await worker.drain();
          if (round % 5 === 4) ctx.progress(`${label}: ${await pending()} deliveries left`);
        }
        const done = performance.now();
        ctx.progress(`${label}: all delivered in ${((done - published) / 1000).toFixed(1)} s after publishing`);
        return { total: done - started, delivery: done - published };
      };

      const { channels, outbox } = services.distribution;
      const batched = new DeliveryWorker(handle.db, channels, outbox, media);
      const sequential = new DeliveryWorker(handle.db, channels, outbox, media, { batchSize: 1, concurrency: 1 });
      const fast = await measure('batched', batched);
      const posts = receiver.posts.size;
      const slow = await measure('sequential', sequential);
      const feedRows = Number((await handle.db.selectFrom('distribution_deliveries as d').innerJoin('channels as c', 'c.id', 'd.channel_id').select((eb) => eb.fn.countAll<number>().as('n')).where('c.kind', '=', 'feed').where('d.status', '=', 'delivered').executeTakeFirstOrThrow()).n);
      ctx.progress(`webhook posts received: ${posts} then ${receiver.posts.size} (signature failures ${receiver.badSignatures}, calls ${receiver.calls}); feed deliveries ${feedRows}`);
      if (receiver.badSignatures || posts !== units.length || receiver.posts.size !== 2 * units.length || feedRows !== 2 * units.length) {
        throw new Error('fan-out incomplete or a signature failed: the figures below would mean nothing');
      }
      return [
        {
          metric: 'publish_to_all_delivered_ms',
          value: Math.round(fast.total),
          baseline: Math.round(slow.total),
          ratio: 'value/baseline',
          maxRatio: 1,
          goal: `${units.length} units x (feed + webhook) = ${2 * units.length} deliveries; batched concurrent worker vs one at a time`,
        },
        {
          metric: 'delivery_only_ms',
          value: Math.round(fast.delivery),
          baseline: Math.round(slow.delivery),
          ratio: 'value/baseline',
          maxRatio: 1,
          goal: 'from the last publish commit until every delivery is delivered',
        },
      ];
    } finally {
      await receiver.close();
      await handle.close();
    }
  },
};

export default benchmark;
