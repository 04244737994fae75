import type { Editor } from '@tiptap/react';
import { Card, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';
import type { ItemStatus } from '../shared/types.ts';
import { DistributionPanel } from '../distribution/DistributionPanel.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import type { ReviewPolicy, WorkflowState } from './model.ts';
import { WorkflowTimeline } from './WorkflowTimeline.tsx';

interface Props {
  item: { id: string; status: ItemStatus; revision: number; unitId: string; canEdit: boolean };
  getEditor(): Editor | null;
}

/** Beside the item editor: 批注 (comments on passages) and the 流程时间线 (every move and who made it). */
export function ItemNewsroomPanel({ item, getEditor }: Props) {
  const { t } = useI18n();
  const [policy, setPolicy] = useState<ReviewPolicy | null>(null);
  useEffect(() => {
    api
      .get<WorkflowState>(`/api/items/${item.id}/workflow`)
      .then((s) => setPolicy(s.policy))
      .catch(() => setPolicy(null));
  }, [item.id]);

  return (
    <Card size="small" style={{ marginTop: 16 }} data-testid="newsroom-panel">
      <Tabs
        size="small"
        defaultActiveKey={window.location.hash.startsWith('#comment-') ? 'comments' : 'timeline'}
        items={[
          { key: 'timeline', label: t('流程时间线', 'Timeline'), children: <WorkflowTimeline itemId={item.id} policy={policy} reloadKey={`${item.status}:${item.revision}`} /> },
          { key: 'comments', label: <span data-testid="comments-tab">{t('批注', 'Comments')}</span>, children: <CommentsPanel item={item} getEditor={getEditor} /> },
          {
            key: 'distribution',
            label: <span data-testid="distribution-tab">{t('渠道投递', 'Distribution')}</span>,
            children: <DistributionPanel itemId={item.id} reloadKey={`${item.status}:${item.revision}`} />,
          },
        ]}
      />
    </Card>
  );
}
