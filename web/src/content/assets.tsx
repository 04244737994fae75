import { FileImageOutlined, InboxOutlined } from '@ant-design/icons';
import { App, Card, Empty, Form, Input, Select, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { assetSrc } from './model.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';
import type { Asset } from '../shared/types.ts';

/** 媒资库 helpers: list, upload and show assets (POST/GET /api/assets). */

export interface AssetQuery {
  q?: string;
  tag?: string;
  unitId?: string;
  kind?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** The list answer; tolerates `{items}` or a bare array while the asset routes settle. */
function assetsOf(res: unknown): Asset[] {
  if (Array.isArray(res)) return res as Asset[];
  if (res && typeof res === 'object' && Array.isArray((res as { items?: unknown }).items)) return (res as { items: Asset[] }).items;
  return [];
}

export function useAssets(query: AssetQuery) {
  const key = JSON.stringify(query);
  const { data: assets, loading, reload } = useLoad<Asset[]>(async (signal) => assetsOf(await api.get<unknown>('/api/assets', JSON.parse(key) as AssetQuery as Record<string, string | number | undefined>, signal)), [key], []);
  return { assets, loading, reload };
}

export function uploadAsset(file: File, caption: string, tags: string[]): Promise<Asset> {
  const form = new FormData();
  // fields first: a streaming multipart parser sees them before the file
  form.append('caption', caption);
  form.append('tags', tags.join(','));
  form.append('file', file, file.name);
  return api.upload<Asset>('/api/assets', form);
}

/** Thumbnails in a grid; clicking one calls onPick (the picker) or onOpen (the library). */
export function AssetGrid({ assets, loading, onPick, selectedId }: { assets: Asset[]; loading: boolean; onPick(asset: Asset): void; selectedId?: string | null }) {
  const { t, locale } = useI18n();
  if (loading && assets.length === 0) return <Spin />;
  if (assets.length === 0) return <Empty description={t('暂无媒资', 'No assets yet')} />;
  return (
    <div data-testid="asset-grid" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 12 }}>
      {assets.map((a) => (
        <Card
          key={a.id}
          size="small"
          hoverable
          data-testid="asset-card"
          onClick={() => onPick(a)}
          style={{ outline: selectedId === a.id ? '2px solid #c41d2f' : 'none' }}
          cover={
            a.kind === 'image' || a.mime.startsWith('image/') ? (
              <img src={assetSrc(a.id, 'thumb')} alt={a.caption ?? ''} style={{ height: 120, objectFit: 'cover' }} loading="lazy" />
            ) : (
              <div style={{ height: 120, display: 'grid', placeItems: 'center', fontSize: 36, color: '#999' }}>
                <FileImageOutlined />
              </div>
            )
          }
        >
          <Typography.Text ellipsis style={{ display: 'block' }}>
            {a.caption || t('（无说明）', '(no caption)')}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
            {[a.unitName, a.width && a.height ? `${a.width}×${a.height}` : null, a.createdAt ? formatTime(a.createdAt, locale).split(' ')[0] : null].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Card>
      ))}
    </div>
  );
}

/** A file drop area with caption and tags; calls onUploaded with the new asset. */
export function AssetUploader({ onUploaded, accept = 'image/*' }: { onUploaded(asset: Asset): void; accept?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [caption, setCaption] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <Form layout="vertical" component="div">
      <Form.Item label={t('图片说明', 'Caption')} style={{ marginBottom: 8 }}>
        <Input value={caption} onChange={(e) => setCaption(e.target.value)} maxLength={300} data-testid="upload-caption" />
      </Form.Item>
      <Form.Item label={t('标签', 'Tags')} style={{ marginBottom: 8 }}>
        <Select mode="tags" value={tags} onChange={setTags} tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
      </Form.Item>
      <Upload.Dragger
        accept={accept}
        multiple={false}
        showUploadList={false}
        disabled={busy}
        data-testid="asset-upload"
        customRequest={async ({ file }) => {
          setBusy(true);
          try {
            const asset = await uploadAsset(file as File, caption.trim(), tags);
            message.success(t('已上传', 'Uploaded'));
            setCaption('');
            setTags([]);
            onUploaded(asset);
          } catch (err) {
            notifyError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <p className="ant-upload-drag-icon">{busy ? <Spin /> : <InboxOutlined />}</p>
        <p className="ant-upload-text">{t('点击或拖入图片上传到媒资库', 'Click or drop a picture to upload it to the library')}</p>
      </Upload.Dragger>
    </Form>
  );
}

/** The search row of the picker and the library: caption/tag text, tag, date range. */
export function AssetSearch({ onSearch }: { onSearch(q: string): void }) {
  const { t } = useI18n();
  return <Input.Search allowClear placeholder={t('按说明或标签搜索', 'Search caption or tag')} onSearch={(v) => onSearch(v.trim())} style={{ width: 260 }} />;
}
