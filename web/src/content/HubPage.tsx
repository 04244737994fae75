import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { pick, typeLabels } from './model.ts';
import { ItemEditor } from './editor/ItemEditor.tsx';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { FormDialog } from '../shared/FormDialog.tsx';
import { navigate, usePath } from '../shared/router.ts';
import { useSession } from '../shared/session.ts';
import { itemTypes, type Item, type ItemType } from '../shared/types.ts';
import { ItemList } from './ItemList.tsx';

/** 稿库: the active unit's items (GET /api/items?view=unit) with filters; /hub/:id opens the editor. */
export default function HubPage() {
  const path = usePath();
  const id = path.startsWith('/hub/') ? decodeURIComponent(path.slice('/hub/'.length)) : null;
  if (id) return <ItemEditor key={id} id={id} backPath="/hub" />;
  return <HubList />;
}

function HubList() {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const notifyError = useNotifyError();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const canCreate = session.can.createItems;

  const create = async (v: { type: ItemType; title: string; liveUrl?: string }) => {
    setBusy(true);
    try {
      const item = await api.post<Item>('/api/items', { type: v.type, title: v.title.trim(), ...(v.type === 'live' && v.liveUrl ? { liveUrl: v.liveUrl.trim() } : {}) });
      setCreating(false);
      navigate(`/hub/${item.id}`);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('稿库', 'Content hub')}
      extra={
        canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-item">
            {t('新建稿件', 'New item')}
          </Button>
        )
      }
    >
      <ItemList view="unit" basePath="/hub" />
      {creating && (
        <FormDialog<{ type: ItemType; title: string; liveUrl?: string }>
          title={t('新建稿件', 'New item')}
          onCancel={() => setCreating(false)}
          initialValues={{ type: 'article' }}
          onFinish={create}
          submit={t('创建并编辑', 'Create and edit')}
          submitTestId="new-item-create"
          busy={busy}
        >
          <Form.Item name="type" label={t('类型', 'Type')} rules={[{ required: true }]}>
            <Select options={itemTypes.map((x) => ({ value: x, label: pick(i18n, typeLabels[x]) }))} />
          </Form.Item>
          <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input autoFocus data-testid="new-item-title" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.type !== b.type}>
            {({ getFieldValue }) =>
              getFieldValue('type') === 'live' && (
                <Form.Item name="liveUrl" label={t('直播地址', 'Live URL')} rules={[{ type: 'url' }]}>
                  <Input />
                </Form.Item>
              )
            }
          </Form.Item>
        </FormDialog>
      )}
    </Card>
  );
}
