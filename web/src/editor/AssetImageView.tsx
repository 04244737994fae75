import { EditOutlined } from '@ant-design/icons';
import { Button, Input, Popover, Space } from 'antd';
import { NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { useState } from 'react';
import { assetSrc } from '../content.ts';
import { useI18n } from '../i18n.ts';

/** A picture in the editor: the medium variant, its caption below, and a popover to edit alt and caption. */
export function AssetImageView({ node, updateAttributes, selected, editor }: ReactNodeViewProps) {
  const { t } = useI18n();
  const assetId = String(node.attrs.assetId ?? '');
  const [open, setOpen] = useState(false);
  const [alt, setAlt] = useState(String(node.attrs.alt ?? ''));
  const [caption, setCaption] = useState(String(node.attrs.caption ?? ''));
  return (
    <NodeViewWrapper as="figure" data-asset-id={assetId} className="tf-figure" style={{ margin: '12px 0', outline: selected ? '2px solid #c41d2f' : 'none' }}>
      <img src={assetSrc(assetId, 'medium')} alt={String(node.attrs.alt ?? '')} style={{ maxWidth: '100%', maxHeight: 360, display: 'block' }} draggable={false} />
      <figcaption style={{ color: '#666', fontSize: 13, marginTop: 4, display: 'flex', gap: 8, alignItems: 'center' }}>
        <span>{String(node.attrs.caption ?? '') || (editor.isEditable ? t('（无图片说明）', '(no caption)') : '')}</span>
        {editor.isEditable && (
          <Popover
            open={open}
            onOpenChange={setOpen}
            trigger="click"
            content={
              <Space direction="vertical" style={{ width: 280 }}>
                <Input value={caption} onChange={(e) => setCaption(e.target.value)} placeholder={t('图片说明', 'Caption')} maxLength={300} />
                <Input value={alt} onChange={(e) => setAlt(e.target.value)} placeholder={t('替代文字（读屏）', 'Alt text (screen readers)')} maxLength={300} />
                <Button
                  type="primary"
                  size="small"
                  onClick={() => {
                    updateAttributes({ alt, caption });
                    setOpen(false);
                  }}
                >
                  {t('确定', 'OK')}
                </Button>
              </Space>
            }
          >
            <Button size="small" type="text" icon={<EditOutlined />} contentEditable={false}>
              {t('说明', 'Caption')}
            </Button>
          </Popover>
        )}
      </figcaption>
    </NodeViewWrapper>
  );
}
