import { Alert, Checkbox, Form, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';
import { type Channel, channelKindLabels, type ItemDistribution } from './channels.ts';

interface Props {
  itemId: string;
  onChange(channelIds: string[] | undefined): void;
}

/**
 * In the publish/schedule dialog: which of the unit's channels get the story. Preselected: the item's
 * earlier choice, else the channels marked 默认选中. Until the list loads (or if the person may not read
 * it) nothing is sent, and the server applies the same defaults.
 */
export function ChannelPicker({ itemId, onChange }: Props) {
  const { t } = useI18n();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    Promise.all([api.get<{ items: Channel[] }>('/api/channels', { enabled: true }), api.get<ItemDistribution>(`/api/items/${itemId}/distribution`)])
      .then(([list, dist]) => {
        if (!live) return;
        const earlier = dist.channelIds.filter((id) => list.items.some((c) => c.id === id));
        const initial = earlier.length ? earlier : list.items.filter((c) => c.autoSelect).map((c) => c.id);
        setChannels(list.items);
        setChosen(initial);
        onChange(initial);
      })
      .catch(() => live && setChannels([]));
    return () => {
      live = false;
    };
    // onChange is the dialog's setter; the list is read once per dialog
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [itemId]);

  if (channels === null) return null;
  if (!channels.length) {
    return <Alert type="info" showIcon title={t('本单位尚未设置发布渠道（可在「渠道」页添加）', 'Your unit has no channels yet (add them on the Channels page)')} />;
  }
  return (
    <Form.Item label={t('发布渠道', 'Channels')} style={{ marginBottom: 0 }}>
      <Checkbox.Group
        value={chosen}
        onChange={(v) => {
          setChosen(v as string[]);
          onChange(v as string[]);
        }}
        data-testid="channel-picker"
      >
        <Space orientation="vertical">
          {channels.map((c) => (
            <Checkbox key={c.id} value={c.id} data-testid={`channel-option-${c.name}`}>
              {c.name} <Tag>{t(...channelKindLabels[c.kind])}</Tag>
            </Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
      {!chosen.length && <Typography.Text type="warning">{t('未选择任何渠道：稿件只在本系统内标记为已发布', 'No channel chosen: the item is only marked published here')}</Typography.Text>}
    </Form.Item>
  );
}
