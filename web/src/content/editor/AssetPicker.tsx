import { Modal, Space, Tabs } from 'antd';
import { useState } from 'react';
import { AssetGrid, AssetSearch, AssetUploader, useAssets } from '../assets.tsx';
import { useI18n } from '../../shared/i18n.ts';
import type { Asset } from '../../shared/types.ts';

/** Choose a picture: upload a new one, or pick from the unit's asset library. */
export function AssetPicker({ title, onPick, onClose }: { title: string; onPick(asset: Asset): void; onClose(): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const { assets, loading } = useAssets({ q: q || undefined, kind: 'image', limit: 60 });
  return (
    <Modal open title={title} width={860} onCancel={onClose} footer={null} destroyOnHidden>
      <Tabs
        items={[
          {
            key: 'upload',
            label: t('上传', 'Upload'),
            children: <AssetUploader onUploaded={onPick} />,
          },
          {
            key: 'library',
            label: t('从媒资库选择', 'From the library'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <AssetSearch onSearch={setQ} />
                <div style={{ maxHeight: 480, overflow: 'auto' }}>
                  <AssetGrid assets={assets} loading={loading} onPick={onPick} />
                </div>
              </Space>
            ),
          },
        ]}
      />
    </Modal>
  );
}
