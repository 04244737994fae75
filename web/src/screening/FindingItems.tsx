import { CheckOutlined, EyeInvisibleOutlined, FlagOutlined } from '@ant-design/icons';
import { Button, List, Space, Tag, Typography } from 'antd';
import { pick } from '../content/model.ts';
import { useI18n } from '../shared/i18n.ts';
import { severityColors, severityLabels } from '../newsroom/model.ts';
import { categoryLabels, type Category, type Finding } from './model.ts';

/** A readable name for a finding's rule (lexicon.gambling → 敏感词·赌博, wording.* → 规范表述 …). */
export function useRuleLabel() {
  const i18n = useI18n();
  const { t } = i18n;
  return (rule: string): string => {
    const [kind, sub] = rule.split('.', 2);
    if (kind === 'lexicon') return sub && sub in categoryLabels ? t(`敏感词·${categoryLabels[sub as Category][0]}`, `Sensitive · ${categoryLabels[sub as Category][1]}`) : t('敏感词', 'Sensitive term');
    if (kind === 'wording') return t('规范表述', 'Wording');
    if (kind === 'typo') return t('错别字', 'Typo');
    if (kind === 'llm') return t('大模型', 'LLM');
    return rule;
  };
}

interface Props {
  findings: Finding[];
  /** The text the offsets index into, to show what was matched. */
  text?: string;
  active?: Finding | null;
  onPick?(f: Finding): void;
  onAccept?(f: Finding): void;
  onIgnore?(f: Finding): void;
  /** 「不是问题」: propose a lexicon finding as a false hit (a chief editor decides). */
  onNotProblem?(f: Finding): void;
}

/** Findings as a list: severity, rule, message, matched text → suggestion, and optional 采纳 / 忽略. */
export function FindingItems({ findings, text, active, onPick, onAccept, onIgnore, onNotProblem }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const ruleLabel = useRuleLabel();
  return (
    <List<Finding>
      size="small"
      bordered
      dataSource={findings}
      data-testid="review-findings"
      renderItem={(f) => {
        const matched = text !== undefined && f.start !== undefined && f.end !== undefined ? text.slice(f.start, f.end) : null;
        return (
          <List.Item
            data-testid="review-finding"
            data-severity={f.severity}
            style={{ background: active === f ? '#fafafa' : undefined, cursor: onPick ? 'pointer' : undefined }}
            onClick={onPick ? () => onPick(f) : undefined}
            actions={[
              onAccept && f.suggestion !== undefined && (
                <Button key="accept" size="small" type="link" icon={<CheckOutlined />} onClick={(e) => { e.stopPropagation(); onAccept(f); }} data-testid="finding-accept">
                  {t('采纳', 'Accept')}
                </Button>
              ),
              onIgnore && (
                <Button key="ignore" size="small" type="link" icon={<EyeInvisibleOutlined />} onClick={(e) => { e.stopPropagation(); onIgnore(f); }} data-testid="finding-ignore">
                  {t('忽略', 'Ignore')}
                </Button>
              ),
              onNotProblem && f.rule.startsWith('lexicon.') && (
                <Button key="not-problem" size="small" type="link" icon={<FlagOutlined />} onClick={(e) => { e.stopPropagation(); onNotProblem(f); }} data-testid="finding-not-problem">
                  {t('不是问题', 'Not a problem')}
                </Button>
              ),
            ].filter(Boolean)}
          >
            <Space orientation="vertical" size={2}>
              <Space wrap size={4}>
                <Tag color={severityColors[f.severity]}>{pick(i18n, severityLabels[f.severity])}</Tag>
                <Tag>{ruleLabel(f.rule)}</Tag>
                {f.confidence !== undefined && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`置信度 ${Math.round(f.confidence * 100)}%`, `confidence ${Math.round(f.confidence * 100)}%`)}</Typography.Text>}
              </Space>
              <span>{f.message}</span>
              {f.reason && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="finding-reason">
                  {t('原因：', 'Why: ')}
                  {f.reason}
                </Typography.Text>
              )}
              {(matched || f.suggestion) && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {matched && <Typography.Text delete={Boolean(f.suggestion)}>{matched}</Typography.Text>}
                  {f.suggestion && <> → <Typography.Text strong type="success">{f.suggestion}</Typography.Text></>}
                  {f.start !== undefined && ` · ${t(`第 ${f.start + 1}–${f.end ?? f.start + 1} 字`, `chars ${f.start + 1}–${f.end ?? f.start + 1}`)}`}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        );
      }}
    />
  );
}
