/**
 * 谁能做什么 — the rulebook. Every access decision of the platform is made in this folder, from the
 * caller's active membership and where the target sits in the unit tree. Read it top to bottom:
 *
 *   roles.ts         the role tiers (编辑及以上, 主编及以上 …)
 *   tree.ts          the unit tree: within a subtree, the root
 *   unit.ts          联合体与人员: units, staff, accounts, invitations, audit, sign-in rules
 *   item.ts          稿件: items, assets, ingest sources, channel previews
 *   review-chain.ts  三审: who moves an item through review and publishes it
 *   planning.ts      协同: topics, tasks, webhooks
 *   channel.ts       多元传播: channels and deliveries
 *   print.ts         报纸版面
 *   push.ts          精准推送
 *   readers.ts       用户库 seen from the staff side
 *   recommend.ts     推荐位
 *   portal.ts        门户编排: 头条, 专题, 栏目 order
 *   screening.ts     智能审核
 *   workbench.ts     工作台: which sections the landing page shows a role
 *
 *   abilities.ts     what the console offers the actor, from the rules above
 *
 * access.ts holds the machinery: `allow` makes a rule, services open with `requireAccess`, and
 * `abilities` tells the console what the actor may do. Nothing here touches the database or HTTP.
 */
export * from './access.ts';
export * from './actor.ts';
export * from './roles.ts';
export * from './tree.ts';
export * from './unit.ts';
export * from './item.ts';
export * from './review-chain.ts';
export * from './planning.ts';
export * from './channel.ts';
export * from './print.ts';
export * from './push.ts';
export * from './readers.ts';
export * from './recommend.ts';
export * from './portal.ts';
export * from './screening.ts';
export * from './workbench.ts';
export * from './abilities.ts';
