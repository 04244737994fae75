import type { ItemStatus } from '../content/tables.ts';
import type { WorkflowAction } from './transitions.ts';

export const statusLabels: Record<ItemStatus, { zh: string; en: string }> = {
  incoming: { zh: '待处理', en: 'incoming' },
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '已提交待初审', en: 'submitted' },
  in_review: { zh: '审核中', en: 'in review' },
  signed_off: { zh: '已签发', en: 'signed off' },
  scheduled: { zh: '定时发布', en: 'scheduled' },
  published: { zh: '已发布', en: 'published' },
  corrected: { zh: '已更正', en: 'corrected' },
  retracted: { zh: '已撤稿', en: 'retracted' },
  archived: { zh: '已退稿归档', en: 'archived' },
};

export const actionLabels: Record<WorkflowAction, { zh: string; en: string }> = {
  submit: { zh: '提交', en: 'submit' },
  approve: { zh: '通过', en: 'approve' },
  return: { zh: '退回修改', en: 'return' },
  reject: { zh: '退稿', en: 'reject' },
  schedule: { zh: '定时发布', en: 'schedule' },
  unschedule: { zh: '取消定时', en: 'unschedule' },
  publish: { zh: '发布', en: 'publish' },
  retract: { zh: '撤稿', en: 'retract' },
  reopen: { zh: '重新打开', en: 'reopen' },
};
