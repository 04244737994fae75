import { ImportOutlined } from '@ant-design/icons';
import { App, Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { ItemEditor } from './editor/ItemEditor.tsx';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { navigate, usePath } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import type { Item, ItemSummary } from '../shared/types.ts';
import { ItemList } from './ItemList.tsx';

/** 共享稿池: other units' items shared with the active unit (view=shared), each with 采用 (adopt a copy). */
export default function SharedPoolPage() {
  const path = usePath();
  const id = path.startsWith('/shared/') ? decodeURIComponent(path.slice('/shared/'.length)) : null;
  if (id) return <ItemEditor key={id} id={id} backPath="/shared" />;
  return <SharedList />;
}

function SharedList() {
  const { t } = useI18n();
  const { session } = useSession();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busyId, setBusyId] = useState<string | null>(null);
  const canPickUp = session.can.pickUp;

  const adopt = async (item: ItemSummary) => {
    setBusyId(item.id);
    try {
      const copy = await api.post<Item>(`/api/items/${item.id}/adopt`);
      message.success(t('已采用到本单位稿库', 'Adopted into your hub'));
      navigate(`/hub/${copy.id}`);
    } catch (err) {
      if (err instanceof ApiError && typeof err.body.copyItemId === 'string') {
        message.info(t('本单位已采用过，打开已有副本', 'Already adopted: opening your copy'));
        navigate(`/hub/${err.body.copyItemId}`);
      } else notifyError(err);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <Card
      title={t('共享稿池', 'Shared pool')}
      extra={!canPickUp && <Typography.Text type="secondary">{t('编辑以上角色可采用', 'Editors and above may adopt')}</Typography.Text>}
    >
      <Typography.Paragraph type="secondary" data-testid="pool-help">
        {t('其他单位共享给本单位、且已签发的稿件；草稿和审核中的稿件留在原单位，不会出现在这里。', "Other units' stories shared with yours, once signed off; drafts and stories in review stay with their unit.")}
      </Typography.Paragraph>
      <ItemList
        view="shared"
        basePath="/shared"
        filters={['status', 'type', 'category', 'scope']}
        actions={(item) =>
          canPickUp && (
            <Button size="small" type="primary" icon={<ImportOutlined />} loading={busyId === item.id} onClick={() => adopt(item)} data-testid="adopt">
              {t('采用', 'Adopt')}
            </Button>
          )
        }
      />
    </Card>
  );
}
