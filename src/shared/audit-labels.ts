import { type Label, workflowActionLabels } from './labels.ts';

/**
 * 审计日志的中文名: the audit log's action and target codes as people read them. Codes stay in the data
 * (they are hash-chained and filtered on); the console shows these words and the code on hover.
 */

/** What a row is about, by the domain its action code starts with. */
const domains: Record<string, Label> = {
  session: ['登录', 'Sign-in'],
  user: ['人员', 'Staff'],
  membership: ['单位角色', 'Membership'],
  invitation: ['邀请', 'Invitation'],
  token: ['API 令牌', 'API token'],
  security: ['安全策略', 'Security policy'],
  unit: ['单位', 'Unit'],
  content: ['稿件', 'Item'],
  asset: ['媒资', 'Asset'],
  ingest: ['汇聚', 'Ingest'],
  workflow: ['审核流程', 'Workflow'],
  review_policy: ['审核流程设置', 'Review chain'],
  topic: ['选题', 'Topic'],
  task: ['任务', 'Task'],
  comment: ['批注', 'Comment'],
  lock: ['编辑锁', 'Edit lock'],
  webhook: ['事件回调', 'Webhook'],
  screening: ['智能审核', 'Screening'],
  review: ['智能审核', 'Screening'],
  channel: ['渠道', 'Channel'],
  delivery: ['渠道投递', 'Delivery'],
  print: ['版面', 'Print'],
  reader: ['读者', 'Reader'],
  recommend: ['推荐', 'Recommendation'],
  portal: ['门户', 'Portal'],
  push: ['推送', 'Push'],
};

/** The verb after the domain, or the whole rest of the code when it says more than a verb. */
const verbs: Record<string, Label> = {
  create: ['新建', 'created'],
  update: ['修改', 'updated'],
  delete: ['删除', 'deleted'],
  login: ['成功', 'succeeded'],
  login_failed: ['失败', 'failed'],
  logout: ['退出', 'signed out'],
  locked: ['账号锁定', 'account locked'],
  password_change: ['修改密码', 'password changed'],
  mfa_enrol: ['启用两步验证', 'two-step enrolled'],
  mfa_reset: ['重置两步验证', 'two-step reset'],
  set: ['设置角色', 'role set'],
  remove: ['移除', 'removed'],
  cancel: ['撤销', 'cancelled'],
  revoke: ['吊销', 'revoked'],
  policy: ['修改', 'updated'],
  share: ['设置共享', 'sharing changed'],
  accept: ['接收', 'accepted'],
  adopted: ['采用', 'adopted'],
  picked_up: ['采用', 'adopted'],
  relay_up: ['上报', 'relayed up'],
  submit: ['上报', 'relayed up'],
  relay_down: ['下发', 'relayed down'],
  distribute: ['下发', 'relayed down'],
  'understanding.correct': ['更正稿件理解', 'understanding corrected'],
  pull: ['抓取', 'pulled'],
  'source.create': ['新建来源', 'source created'],
  'source.update': ['修改来源', 'source updated'],
  'source.delete': ['删除来源', 'source deleted'],
  takeover: ['接管', 'taken over'],
  retry: ['重试', 'retried'],
  'page.create': ['生成版面', 'page created'],
  'page.delete': ['删除版面', 'page deleted'],
  'page.relayout': ['重新排版', 'page laid out again'],
  signup: ['注册', 'signed up'],
  lookup: ['查询读者', 'looked up'],
  code_budget_exhausted: ['验证码额度用尽', 'code budget exhausted'],
  pin: ['置顶', 'pinned'],
  curate: ['编排首页', 'arranged the home'],
  unpin: ['取消置顶', 'unpinned'],
  propose: ['报题', 'proposed'],
  link_item: ['关联稿件', 'item linked'],
  assign: ['派单', 'assigned'],
  'alert.resolve': ['处理告警', 'alert resolved'],
  'allow_list.update': ['修改白名单', 'allow-list updated'],
  'allow_proposal.create': ['标记“不是问题”', 'marked not a problem'],
  'allow_proposal.approve': ['同意“不是问题”，加入白名单', 'not-a-problem approved'],
  'allow_proposal.reject': ['驳回“不是问题”', 'not-a-problem rejected'],
  'lexicon.create': ['新建词库', 'lexicon created'],
  'lexicon.update': ['修改词库', 'lexicon updated'],
  'lexicon.seed': ['初始化词库', 'lexicon seeded'],
  'wording_pack.create': ['新建规范表述包', 'wording pack created'],
  'wording_pack.update': ['修改规范表述包', 'wording pack updated'],
  'wording_pack.delete': ['删除规范表述包', 'wording pack deleted'],
  'wording_pack.seed': ['初始化规范表述包', 'wording pack seeded'],
  'app.create': ['新建应用', 'app created'],
  'campaign.create': ['新建推送', 'campaign created'],
  'campaign.cancel': ['取消推送', 'campaign cancelled'],
  'segment.create': ['新建人群', 'segment created'],
  'segment.update': ['修改人群', 'segment updated'],
  'segment.delete': ['删除人群', 'segment deleted'],
  decline: ['拒绝', 'declined'],
  complete: ['完成', 'completed'],
  handover: ['转交', 'handed over'],
  approve: ['通过', 'approved'],
  return: ['退回', 'returned'],
  reject: ['否决', 'rejected'],
};

/**
 * The domains to filter the log by, one entry per name (智能审核 was `review.` before migration 0024):
 * the value is the code prefix the server matches (`GET /api/audit?action=`).
 */
export const auditDomainFilters: { prefix: string; label: Label }[] = Object.entries(domains)
  .filter(([code]) => code !== 'review' && code !== 'reject')
  .map(([code, label]) => ({ prefix: `${code}.`, label }));

/** Codes without a domain (the asset and item moves written before the domains were named). */
const whole: Record<string, Label> = {
  publish: ['发布', 'Published'],
  retract: ['撤稿', 'Retracted'],
  accept: ['接收', 'Accepted'],
  update: ['修改', 'Updated'],
};

/** "人员 · 新建" for user.create; the code itself when it is one we have no words for. */
export function auditActionLabel(code: string): Label {
  if (whole[code]) return whole[code];
  const dot = code.indexOf('.');
  const domain = domains[code.slice(0, dot)];
  const rest = code.slice(dot + 1);
  // The review chain's moves have their own words (提交 is into review there, not 上报).
  const verb = code.startsWith('workflow.') ? workflowActionLabels[rest as keyof typeof workflowActionLabels] : verbs[rest];
  return dot > 0 && domain && verb ? [`${domain[0]} · ${verb[0]}`, `${domain[1]} ${verb[1]}`] : [code, code];
}

export const auditTargetLabels: Record<string, Label> = {
  user: ['人员', 'Staff'],
  unit: ['单位', 'Unit'],
  api_token: ['API 令牌', 'API token'],
  security_policy: ['安全策略', 'Security policy'],
  content_item: ['稿件', 'Item'],
  item: ['稿件', 'Item'],
  asset: ['媒资', 'Asset'],
  ingest_source: ['汇聚来源', 'Ingest source'],
  topic: ['选题', 'Topic'],
  task: ['任务', 'Task'],
  webhook: ['事件回调', 'Webhook'],
  channel: ['渠道', 'Channel'],
  delivery: ['渠道投递', 'Delivery'],
  print_page: ['版面', 'Print page'],
  reader: ['读者', 'Reader'],
  reader_code_budget: ['验证码额度', 'Code budget'],
  push_app: ['推送应用', 'Push app'],
  push_campaign: ['推送任务', 'Push campaign'],
  push_segment: ['推送人群', 'Push segment'],
  screening_alert: ['巡查告警', 'Patrol alert'],
  screening_allow_list: ['白名单', 'Allow-list'],
  screening_allow_proposal: ['“不是问题”申请', 'Not-a-problem request'],
  screening_lexicon: ['敏感词库', 'Lexicon'],
  screening_wording_pack: ['规范表述包', 'Wording pack'],
};
