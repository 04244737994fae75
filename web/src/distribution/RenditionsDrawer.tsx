import { Alert, Badge, Drawer, Empty, Result, Space, Spin, Switch, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, api, describeError } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ChannelView } from './ChannelViews.tsx';
import { channelKindLabels } from './channels.ts';
import { type RenditionPreview, previewOrder } from './renditions.ts';
import './renditions.css';

interface Props {
  itemId: string;
  unitName: string;
  /** Editors may look at the latest revision before it is signed off. */
  canSeeLatest: boolean;
  /** Refetch when the saved revision changes. */
  revision: number;
  onClose(): void;
}

/** 渠道预览: what the signed-off revision becomes on each channel, with what the length rules changed. */
export function RenditionsDrawer({ itemId, unitName, canSeeLatest, revision, onClose }: Props) {
  const { t, lang } = useI18n();
  const [latest, setLatest] = useState(false);
  const [preview, setPreview] = useState<RenditionPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .get<RenditionPreview>(`/api/items/${itemId}/renditions`, latest ? { latest: true } : undefined)
      .then((p) => live && (setPreview(p), setError(null)))
      .catch((err) => live && (setPreview(null), setError(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [itemId, latest, revision]);

  const byChannel = new Map((preview?.renditions ?? []).map((r) => [r.channel, r]));
  const notSigned = error instanceof ApiError && error.code === 'not_signed_off';

  return (
    <Drawer open width={980} onClose={onClose} title={t('渠道预览', 'Channel preview')} destroyOnHidden data-testid="renditions-drawer">
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {canSeeLatest && (
          <Space>
            <Switch checked={latest} onChange={setLatest} data-testid="renditions-latest" />
            <Typography.Text>{t('预览最新版本（含未签发的修改）', 'Preview the latest revision (including unsigned changes)')}</Typography.Text>
          </Space>
        )}
        {preview && (
          <Alert
            type={preview.signedOff ? 'success' : 'warning'}
            showIcon
            data-testid="renditions-status"
            title={
              preview.signedOff
                ? t(`第 ${preview.revision} 版（已签发）在各渠道的样子`, `Revision ${preview.revision} (signed off) on each channel`)
                : t(
                    `第 ${preview.revision} 版尚未签发：签发前内容仍可能变化，发布时以签发版本为准`,
                    `Revision ${preview.revision} is not signed off yet: what is published is the signed-off revision`,
                  )
            }
          />
        )}
        {loading && <Spin />}
        {!loading && error !== null && (
          <Result status={notSigned ? 'info' : 'error'} title={notSigned ? t('稿件尚未签发', 'Not signed off yet') : describeError(error, lang)} subTitle={notSigned ? describeError(error, lang) : undefined} />
        )}
        {!loading && preview && (
          <Tabs
            data-testid="renditions-tabs"
            items={previewOrder
              .filter((kind) => byChannel.has(kind))
              .map((kind) => {
                const r = byChannel.get(kind)!;
                return {
                  key: kind,
                  label: (
                    <Badge count={r.notes.length} size="small" offset={[8, -2]} color="orange">
                      <span data-testid={`renditions-tab-${kind}`}>{t(...channelKindLabels[kind])}</span>
                    </Badge>
                  ),
                  children: <ChannelView r={r} unitName={unitName} configured={preview.channels.filter((c) => c.kind === kind).map((c) => c.name)} />,
                };
              })}
          />
        )}
        {!loading && preview && preview.renditions.length === 0 && <Empty />}
      </Space>
    </Drawer>
  );
}
