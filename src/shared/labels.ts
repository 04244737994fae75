import type { Role, UnitKind } from '../modules/alliance/roles.ts';
import type { ItemStatus, ItemType, ShareScope } from '../modules/content/tables.ts';
import type { ChannelKind } from '../modules/distribution/contract.ts';
import type { WorkflowAction } from '../modules/newsroom/transitions.ts';
import type { PrintFormat } from '../modules/print/layout/page-spec.ts';

/**
 * The words people see for the platform's enums, Chinese first, kept once for the server (problem
 * details, notifications, search facets) and the console (web/ imports this file). Pure TypeScript
 * with type-only imports, so the console's bundle takes nothing else from the server. The terms
 * follow docs/glossary.md.
 */
export type Label = readonly [zh: string, en: string];

export const roleLabels: Record<Role, Label> = {
  reporter: ['记者', 'Reporter'],
  editor: ['编辑', 'Editor'],
  chief_editor: ['主编', 'Chief editor'],
  unit_admin: ['单位管理员', 'Unit admin'],
  supervisor: ['监管', 'Supervisor'],
  alliance_admin: ['联合体管理员', 'Alliance admin'],
};

export const unitKindLabels: Record<UnitKind, Label> = {
  province: ['省级', 'Province'],
  founder: ['发起单位', 'Founder'],
  city: ['市（州）', 'City'],
  county: ['县级融媒体中心', 'County centre'],
  zone: ['功能区', 'Zone'],
  department: ['部门', 'Department'],
};

export const itemTypeLabels: Record<ItemType, Label> = {
  article: ['图文', 'Article'],
  gallery: ['图集', 'Gallery'],
  video: ['视频', 'Video'],
  audio: ['音频', 'Audio'],
  live: ['直播', 'Live'],
  special: ['专题', 'Special'],
};

export const itemStatusLabels: Record<ItemStatus, Label> = {
  incoming: ['汇聚待处理', 'Incoming'],
  draft: ['草稿', 'Draft'],
  submitted: ['已提交', 'Submitted'],
  in_review: ['审核中', 'In review'],
  signed_off: ['已签发', 'Signed off'],
  scheduled: ['定时发布', 'Scheduled'],
  published: ['已发布', 'Published'],
  corrected: ['已更正', 'Corrected'],
  retracted: ['已撤回', 'Retracted'],
  archived: ['已归档', 'Archived'],
};

/**
 * 共享范围: which units of the alliance get the story in their shared pool. One form for all four (who
 * it is shared with), and no 可见/公开, which readers would take for who may read it once published.
 */
export const shareScopeLabels: Record<ShareScope, Label> = {
  unit: ['仅本单位', 'Own unit only'],
  parents: ['上级单位', 'Parent units'],
  units: ['指定单位', 'Chosen units'],
  alliance: ['全联合体', 'Whole alliance'],
};

/** The 三审 chain's moves (提交 is into first review; relaying up is 上报, not a workflow action). */
export const workflowActionLabels: Record<WorkflowAction, Label> = {
  submit: ['提交', 'Submit'],
  approve: ['通过', 'Approve'],
  return: ['退回修改', 'Return'],
  reject: ['退稿', 'Reject'],
  schedule: ['定时发布', 'Schedule'],
  unschedule: ['取消定时', 'Unschedule'],
  publish: ['发布', 'Publish'],
  retract: ['撤稿', 'Retract'],
  reopen: ['重新打开', 'Reopen'],
};

export const channelKindLabels: Record<ChannelKind, Label> = {
  portal: ['门户网站', 'Portal'],
  app: ['客户端', 'App'],
  feed: ['订阅源', 'Feeds'],
  webhook: ['自建系统接口', 'Webhook'],
  wechat: ['微信公众号', 'WeChat OA'],
  weibo: ['微博', 'Weibo'],
  douyin: ['抖音', 'Douyin'],
  print: ['报纸版面', 'Print'],
};

export const printFormatLabels: Record<PrintFormat, Label> = {
  broadsheet: ['对开', 'Broadsheet'],
  tabloid: ['四开', 'Tabloid'],
};

/** Choices in a channel's settings form, by the value the adapter's schema lists. */
export const settingValueLabels: Record<string, Label> = { ...printFormatLabels };

/** The same labels as { zh, en }, for server messages that put each language in its own sentence. */
export function byLanguage<K extends string>(labels: Record<K, Label>): Record<K, { zh: string; en: string }> {
  return Object.fromEntries(Object.entries<Label>(labels).map(([key, [zh, en]]) => [key, { zh, en }])) as Record<K, { zh: string; en: string }>;
}
