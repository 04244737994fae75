import { MailOutlined } from '@ant-design/icons';
import { App, Badge, Button, List, Modal, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { useSession } from '../shared/session.ts';
import type { Invitation, ListOf } from '../shared/types.ts';

/**
 * 我的邀请: shown in the header only while someone has invited the signed-in person into a unit. Accepting
 * adds the unit to the unit switcher at once (the session is re-read); declining just closes the offer.
 */
export function MyInvitations() {
  const { refresh } = useSession();
  const { t, role: roleLabel, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [items, setItems] = useState<Invitation[]>([]);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api.get<ListOf<Invitation>>('/api/me/invitations')).items);
    } catch (err) {
      notifyError(err);
    }
  }, [notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const answer = async (inv: Invitation, accept: boolean) => {
    setBusy(inv.id);
    try {
      await api.post(`/api/me/invitations/${inv.id}/${accept ? 'accept' : 'decline'}`);
      message.success(accept ? t(`已加入${inv.unitName}，可在右上角切换单位`, `You joined ${inv.unitName}; switch to it at the top right`) : t('已拒绝邀请', 'Invitation declined'));
      const rest = items.filter((i) => i.id !== inv.id);
      setItems(rest);
      if (!rest.length) setOpen(false);
      if (accept) await refresh();
    } catch (err) {
      notifyError(err);
      await load();
    } finally {
      setBusy(null);
    }
  };

  if (!items.length) return null;
  return (
    <>
      <Badge count={items.length} size="small">
        <Button data-testid="my-invitations" icon={<MailOutlined />} onClick={() => setOpen(true)}>
          {t('邀请', 'Invitations')}
        </Button>
      </Badge>
      <Modal open={open} title={t('加入单位的邀请', 'Invitations to join a unit')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <List<Invitation>
          dataSource={items}
          renderItem={(inv) => (
            <List.Item
              key={inv.id}
              actions={[
                <Button key="accept" type="primary" size="small" loading={busy === inv.id} onClick={() => answer(inv, true)}>
                  {t('接受', 'Accept')}
                </Button>,
                <Button key="decline" size="small" disabled={busy === inv.id} onClick={() => answer(inv, false)}>
                  {t('拒绝', 'Decline')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={t(`${inv.unitName} · ${roleLabel(inv.role)}`, `${inv.unitName} · ${roleLabel(inv.role)}`)}
                description={
                  <Space direction="vertical" size={0}>
                    <Typography.Text type="secondary">{t(`邀请人：${inv.invitedByName ?? '—'}`, `Invited by ${inv.invitedByName ?? '—'}`)}</Typography.Text>
                    <Typography.Text type="secondary">{t(`有效期至 ${formatTime(inv.expiresAt, locale)}`, `Open until ${formatTime(inv.expiresAt, locale)}`)}</Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Modal>
    </>
  );
}
