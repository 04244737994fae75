import { App, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { FormDialog } from '../shared/FormDialog.tsx';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import type { Finding } from './model.ts';

interface Values {
  term: string;
  note?: string;
}

/**
 * 「不是问题」: an editor proposes the matched words (or a longer phrase around them, such as 日本人)
 * for the unit's allow-list; it takes effect only when a chief editor approves it.
 */
export function NotProblemDialog({ finding, text, onClose }: { finding: Finding; text: string; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  const matched = finding.start !== undefined && finding.end !== undefined ? text.slice(finding.start, finding.end) : '';

  const submit = async (values: Values) => {
    setBusy(true);
    try {
      await api.post('/api/screening/allow-proposals', { term: values.term.trim(), rule: finding.rule, excerpt: matched || undefined, note: values.note?.trim() || undefined });
      message.success(t('已提交，主编同意后加入本单位白名单', 'Sent: it joins the allow-list when a chief editor agrees'));
      onClose();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog<Values>
      title={t('标记为“不是问题”', 'Mark as not a problem')}
      onCancel={onClose}
      onFinish={submit}
      initialValues={{ term: matched }}
      submit={t('提交主编确认', 'Ask a chief editor')}
      busy={busy}
      submitTestId="not-problem-submit"
      intro={<Typography.Paragraph type="secondary">{t('放行的词或短语将加入本单位白名单，本单位所有稿件都不再报出。可写得更长些只放行这一用法（如“日本人”）。', 'The phrase joins your unit’s allow-list for every story; write a longer phrase to allow only this use.')}</Typography.Paragraph>}
    >
      <Form.Item name="term" label={t('放行的词或短语', 'Phrase to allow')} rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }]}>
        <Input maxLength={100} data-testid="not-problem-term" />
      </Form.Item>
      <Form.Item name="note" label={t('理由', 'Why')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} data-testid="not-problem-note" />
      </Form.Item>
    </FormDialog>
  );
}
