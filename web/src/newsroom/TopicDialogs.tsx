import { DatePicker, Form, Input, Modal, Radio, Select, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import { buildTree, unitTreeSelectData, useUnits } from '../alliance/units.ts';
import { channelOptions, type Topic } from './model.ts';

interface ProposeValues {
  title: string;
  angle?: string;
  channels?: string[];
  resources?: string;
  deadline?: Dayjs;
  jointUnitIds?: string[];
}

/** 报选题: a topic for the unit, or with partner units a 联合报道 (joint coverage). */
export function ProposeTopicDialog({ joint, onClose, onDone }: { joint: boolean; onClose(): void; onDone(topic: Topic): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<ProposeValues>();
  const [busy, setBusy] = useState(false);
  const { units } = useUnits();
  const treeData = useMemo(() => unitTreeSelectData(buildTree(units), (u) => u.id !== session.activeUnitId && u.active), [units, session.activeUnitId]);
  const own = units.find((u) => u.id === session.activeUnitId);

  const submit = async (v: ProposeValues) => {
    setBusy(true);
    try {
      const topic = await api.post<Topic>('/api/topics', {
        title: v.title.trim(),
        angle: v.angle?.trim() || null,
        channels: v.channels ?? [],
        resources: v.resources?.trim() || null,
        deadline: v.deadline ? v.deadline.toISOString() : null,
        ...(v.jointUnitIds?.length ? { jointUnitIds: v.jointUnitIds } : {}),
      });
      onDone(topic);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={joint ? t('发起联合报道', 'Propose joint coverage') : t('报选题', 'Propose a topic')} onCancel={onClose} onOk={() => form.submit()} okText={t('提交选题', 'Propose')} okButtonProps={{ loading: busy, 'data-testid': 'propose-confirm' }} destroyOnHidden width={640}>
      <Form<ProposeValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="title" label={t('选题', 'Topic')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input autoFocus data-testid="propose-title" placeholder={t('如：川西林盘里的新春', 'e.g. Spring Festival in the western Sichuan farmsteads')} />
        </Form.Item>
        <Form.Item name="angle" label={t('报道角度', 'Angle')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} data-testid="propose-angle" />
        </Form.Item>
        <Form.Item name="channels" label={t('拟发渠道', 'Channels')}>
          <Select mode="tags" options={channelOptions.map((c) => ({ value: c, label: c }))} placeholder={t('可多选，也可输入', 'Choose or type')} />
        </Form.Item>
        <Form.Item name="resources" label={t('所需资源', 'Resources')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} placeholder={t('如：无人机一台、摄像两名', 'e.g. a drone, two camera crews')} />
        </Form.Item>
        <Form.Item name="deadline" label={t('截止时间', 'Deadline')}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="jointUnitIds"
          label={t('联合报道单位', 'Partner units')}
          rules={joint ? [{ required: true, type: 'array', min: 1, message: t('联合报道至少选一个单位', 'Choose at least one partner') }] : []}
          extra={<Typography.Text type="secondary">{t(`发起单位：${own?.name ?? ''}。选了单位即为联合报道。`, `Lead: ${own?.name ?? ''}. Choosing partners makes it joint coverage.`)}</Typography.Text>}
        >
          <TreeSelect multiple showSearch treeCheckable={false} treeNodeFilterProp="title" treeData={treeData} placeholder={t('选择参与单位', 'Choose partner units')} maxTagCount={8} data-testid="propose-units" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 审定选题: approve, return (to revise) or reject, the latter two with a reason. */
export function DecideTopicDialog({ topic, onClose, onDone }: { topic: Topic; onClose(): void; onDone(topic: Topic): void }) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [decision, setDecision] = useState<'approve' | 'return' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const needsReason = decision !== 'approve';
  const submit = async () => {
    setBusy(true);
    try {
      onDone(await api.post<Topic>(`/api/topics/${topic.id}/decision`, { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t(`审定选题：${topic.title}`, `Decide: ${topic.title}`)} onCancel={onClose} onOk={submit} okText={t('确定', 'Confirm')} okButtonProps={{ loading: busy, disabled: needsReason && !reason.trim(), danger: decision === 'reject', 'data-testid': 'decide-confirm' }} destroyOnHidden>
      {topic.angle && <Typography.Paragraph type="secondary">{topic.angle}</Typography.Paragraph>}
      <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value as typeof decision)} style={{ marginBottom: 12 }} data-testid="decide-choice">
        <Radio.Button value="approve">{t('通过', 'Approve')}</Radio.Button>
        <Radio.Button value="return">{t('退回修改', 'Return')}</Radio.Button>
        <Radio.Button value="reject">{t('否决', 'Reject')}</Radio.Button>
      </Radio.Group>
      <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} autoSize={{ minRows: 2 }} placeholder={needsReason ? t('理由（必填）', 'Reason (required)') : t('意见（可选）', 'Note (optional)')} data-testid="decide-reason" />
    </Modal>
  );
}
