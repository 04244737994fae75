import type { Role } from '../modules/alliance/roles.ts';
import { roles as allRoles } from '../modules/alliance/roles.ts';
import { can } from './access.ts';
import { type Actor, activeUnit } from './actor.ts';
import { channel, delivery } from './channel.ts';
import { item } from './item.ts';
import { task, topic } from './planning.ts';
import { portalHome } from './portal.ts';
import { print } from './print.ts';
import { campaign, segment } from './push.ts';
import { feed } from './recommend.ts';
import { EDITOR_AND_UP, OVERSEERS } from './roles.ts';
import { reviewChain } from './review-chain.ts';
import { allowProposal, screeningConfig } from './screening.ts';
import { audit, grant, unit } from './unit.ts';

/**
 * What the console offers the actor in its active unit, page by page and button by button: each answer is
 * one of the rules above, asked about the actor's own unit. The console shows these and never restates a
 * rule; what an individual object allows comes with the object (yourActions, canEdit, can…).
 */
export function consoleAbilities(actor: Actor) {
  const own = activeUnit(actor);
  const ownRow = { unit_id: actor.unitId };
  return {
    createItems: can(actor, item.create),
    comment: can(actor, item.comment),
    pickUp: can(actor, item.pickUp),
    acceptIncoming: can(actor, item.accept, ownRow),
    previewRenditions: can(actor, item.update, ownRow),
    proposeTopics: can(actor, topic.propose),
    decideTopics: can(actor, topic.decide, ownRow),
    assignTasks: can(actor, task.assign),
    seeSubtreeTasks: can(actor, task.listSubtree),
    /** The review queue page: those who may sit at some level of a chain. */
    reviewItems: EDITOR_AND_UP.has(actor.role),
    overrideFindings: can(actor, reviewChain.override),
    setReviewChain: can(actor, reviewChain.setPolicy),
    /** The automatic screening centre: everyone but reporters, who meet its findings in their own items. */
    openScreening: actor.role !== 'reporter',
    manageUnitScreening: can(actor, screeningConfig.manage, { scope: 'unit', unit_id: actor.unitId }),
    manageAllianceScreening: can(actor, screeningConfig.manage, { scope: 'alliance', unit_id: actor.unitId }),
    /** 「不是问题」: editors propose a false hit, chief editors decide. */
    proposeNotProblem: can(actor, allowProposal.propose),
    decideNotProblem: can(actor, allowProposal.decide),
    /** The staff pages: those who see beyond their own unit. */
    seeStaff: OVERSEERS.has(actor.role),
    manageStaff: can(actor, unit.manageStaff, own),
    grantableRoles: allRoles.filter((r: Role) => can(actor, grant, r)),
    readAudit: can(actor, audit.read),
    verifyAuditChain: can(actor, audit.verifyChain),
    seeChannels: can(actor, channel.read, own),
    configureChannels: can(actor, channel.configure, own),
    retryDeliveries: can(actor, delivery.retry, own),
    seePrint: can(actor, print.read),
    layoutPrint: can(actor, print.layout),
    seePush: can(actor, segment.read),
    sendPush: can(actor, campaign.send),
    previewFeed: can(actor, feed.preview),
    curatePortal: can(actor, portalHome.curate, actor.unitId),
  };
}

export type ConsoleAbilities = ReturnType<typeof consoleAbilities>;
