import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Descriptions, Input, Modal, Popconfirm, Select, Space, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { AssetGrid, AssetUploader, useAssets, type AssetQuery } from './assets.tsx';
import { assetSrc } from './model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import type { Asset } from '../shared/types.ts';
import { buildTree, unitTreeSelectData, useUnits } from '../alliance/units.ts';

/** 媒资库: the pictures (and other media) units have uploaded; search by caption, tag, unit and date; upload. */
export default function AssetsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { units } = useUnits();
  const unitOptions = useMemo(() => unitTreeSelectData(buildTree(units)), [units]);
  const [query, setQuery] = useState<AssetQuery>({ limit: 60 });
  const { assets, loading, reload } = useAssets(query);
  const [uploading, setUploading] = useState(false);
  const [open, setOpen] = useState<Asset | null>(null);
  const [caption, setCaption] = useState('');
  const [tags, setTags] = useState<string[]>([]);

  const set = (patch: AssetQuery) => setQuery((q) => ({ ...q, ...patch }));
  const show = (a: Asset) => {
    setOpen(a);
    setCaption(a.caption ?? '');
    setTags(a.tags);
  };

  const saveAsset = async () => {
    if (!open) return;
    try {
      await api.patch(`/api/assets/${open.id}`, { caption, tags });
      message.success(t('已保存', 'Saved'));
      setOpen(null);
      await reload();
    } catch (err) {
      notifyError(err);
    }
  };
  const remove = async () => {
    if (!open) return;
    try {
      await api.del(`/api/assets/${open.id}`);
      message.success(t('已删除', 'Deleted'));
      setOpen(null);
      await reload();
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <Card
      title={t('媒资库', 'Asset library')}
      extra={
        <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="open-upload">
          {t('上传', 'Upload')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('按说明搜索', 'Search captions')} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 220 }} />
        <Input allowClear placeholder={t('标签', 'Tag')} onChange={(e) => set({ tag: e.target.value.trim() || undefined })} style={{ width: 140 }} />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('上传单位', 'Unit')}
          treeData={unitOptions}
          style={{ width: 220 }}
          onChange={(v?: string) => set({ unitId: v })}
        />
        <Select
          allowClear
          placeholder={t('类型', 'Kind')}
          style={{ width: 110 }}
          onChange={(v?: string) => set({ kind: v })}
          options={[
            { value: 'image', label: t('图片', 'Image') },
            { value: 'video', label: t('视频', 'Video') },
            { value: 'audio', label: t('音频', 'Audio') },
            { value: 'document', label: t('文档', 'Document') },
          ]}
        />
        <DatePicker aria-label={t('起始日期', 'From')} placeholder={t('起始日期', 'From')} onChange={(d) => set({ from: d ? d.format('YYYY-MM-DD') : undefined })} style={{ width: 150 }} />
        <span>—</span>
        <DatePicker aria-label={t('截止日期', 'To')} placeholder={t('截止日期', 'To')} onChange={(d) => set({ to: d ? d.format('YYYY-MM-DD') : undefined })} style={{ width: 150 }} />
      </Space>
      <AssetGrid assets={assets} loading={loading} onPick={show} />

      {uploading && (
        <Modal open title={t('上传到媒资库', 'Upload to the library')} footer={null} onCancel={() => setUploading(false)} destroyOnHidden>
          <AssetUploader
            onUploaded={() => {
              setUploading(false);
              void reload();
            }}
          />
        </Modal>
      )}

      {open && (
        <Modal
          open
          width={720}
          title={open.caption || t('媒资', 'Asset')}
          onCancel={() => setOpen(null)}
          footer={[
            <Popconfirm key="del" title={t('删除这个媒资？', 'Delete this asset?')} onConfirm={remove}>
              <Button danger icon={<DeleteOutlined />}>
                {t('删除', 'Delete')}
              </Button>
            </Popconfirm>,
            <Button key="save" type="primary" onClick={saveAsset}>
              {t('保存', 'Save')}
            </Button>,
          ]}
        >
          {open.mime.startsWith('image/') && <img src={assetSrc(open.id, 'large')} alt={open.caption ?? ''} style={{ maxWidth: '100%', maxHeight: 420, display: 'block', margin: '0 auto 12px' }} />}
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('类型', 'Type')}>{open.mime}</Descriptions.Item>
            <Descriptions.Item label={t('尺寸', 'Size')}>{open.width && open.height ? `${open.width}×${open.height}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('单位', 'Unit')}>{open.unitName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('上传时间', 'Uploaded')}>{formatTime(open.createdAt, locale)}</Descriptions.Item>
          </Descriptions>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input value={caption} onChange={(e) => setCaption(e.target.value)} placeholder={t('图片说明', 'Caption')} maxLength={300} />
            <Select mode="tags" value={tags} onChange={setTags} tokenSeparators={[',', '，']} style={{ width: '100%' }} placeholder={t('标签', 'Tags')} open={false} suffixIcon={null} />
          </Space>
        </Modal>
      )}
    </Card>
  );
}
