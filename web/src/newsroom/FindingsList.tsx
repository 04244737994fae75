import { CheckCircleOutlined } from '@ant-design/icons';
import { List, Space, Tag, Typography } from 'antd';
import { pick } from '../content/model.ts';
import { useI18n } from '../shared/i18n.ts';
import { severityColors, severityLabels, type Finding } from './model.ts';

/** 智能审核 findings: severity, what was found, and where in the body text (character offsets). */
export function FindingsList({ findings, emptyText }: { findings: Finding[]; emptyText?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (findings.length === 0) {
    return (
      <Typography.Text type="success" data-testid="findings-none">
        <CheckCircleOutlined /> {emptyText ?? t('自动审核未发现问题', 'The automatic checks found nothing')}
      </Typography.Text>
    );
  }
  return (
    <List<Finding>
      size="small"
      bordered
      dataSource={findings}
      data-testid="findings"
      renderItem={(f) => (
        <List.Item data-testid="finding" data-severity={f.severity}>
          <Space wrap>
            <Tag color={severityColors[f.severity]}>{pick(i18n, severityLabels[f.severity])}</Tag>
            <span>{f.message}</span>
            {f.start !== undefined && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`正文第 ${f.start + 1}–${f.end ?? f.start + 1} 字`, `body characters ${f.start + 1}–${f.end ?? f.start + 1}`)}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}
