import { ExperimentOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Input, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { pick } from '../content/model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { FindingItems } from './FindingItems.tsx';
import { NotProblemDialog } from './NotProblemDialog.tsx';
import { useSession } from '../shared/session.ts';
import { HighlightedText } from './HighlightedText.tsx';
import { verdictColors, verdictLabels, type Finding, type FindingsResult } from './model.ts';

const SAMPLE = '攀枝化市近日开展专项整治，严厉打击网络赌博活动。\n全市干部群众再接再励，推动经济社会高质量发展。';

/** 测一段文字: run the unit's lexicons, allow-lists and wording rules over a pasted text. */
export function TestTextTab() {
  const i18n = useI18n();
  const { t } = i18n;
  const notifyError = useNotifyError();
  const [title, setTitle] = useState('');
  const [text, setText] = useState(SAMPLE);
  const [result, setResult] = useState<{ text: string; res: FindingsResult } | null>(null);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState<Finding | null>(null);
  const [proposing, setProposing] = useState<Finding | null>(null);
  const { session } = useSession();

  const run = async () => {
    setLoading(true);
    try {
      const res = await api.post<FindingsResult>('/api/screening/test', { text, title: title.trim() || undefined });
      setResult({ text, res });
      setActive(null);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('待检测文字', 'Text to check')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('标题（可选）', 'Title (optional)')} maxLength={500} data-testid="review-test-title" />
            <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 8, maxRows: 20 }} maxLength={200_000} data-testid="review-test-text" placeholder={t('粘贴要检测的文字', 'Paste the text to check')} />
            <Space>
              <Button type="primary" icon={<ExperimentOutlined />} loading={loading} disabled={!text.trim()} onClick={run} data-testid="review-test-run">
                {t('检测', 'Check')}
              </Button>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('首次检测需加载词库，约需数秒', 'The first check loads the lexicons and may take a few seconds')}
              </Typography.Text>
            </Space>
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          size="small"
          title={t('检测结果', 'Result')}
          extra={result && <Tag color={verdictColors[result.res.verdict]} data-testid="review-verdict">{pick(i18n, verdictLabels[result.res.verdict])}</Tag>}
          data-testid="review-test-result"
        >
          {!result ? (
            <Empty description={t('输入文字后点击“检测”', 'Enter a text and press Check')} />
          ) : (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <div style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 12, background: '#fff' }}>
                <HighlightedText text={result.text} findings={result.res.findings} active={active} onPick={setActive} />
              </div>
              {result.res.findings.length === 0 ? (
                <Typography.Text type="success">{t('未发现问题', 'Nothing found')}</Typography.Text>
              ) : (
                <FindingItems findings={result.res.findings} text={result.text} active={active} onPick={setActive} onNotProblem={session.can.proposeNotProblem ? (f) => setProposing(f) : undefined} />
              )}
            </Space>
          )}
        </Card>
      </Col>
      {proposing && result && <NotProblemDialog finding={proposing} text={result.text} onClose={() => setProposing(null)} />}
    </Row>
  );
}
