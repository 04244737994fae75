import { LockOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import type { EditLock } from './model.ts';

/** The lock lasts two minutes on the server; the editor says it is still open every minute. */
export const HEARTBEAT_MS = 60_000;

export type LockState = { kind: 'none' } | { kind: 'mine' } | { kind: 'other'; holder: string; takenFromMe: boolean };

/**
 * 编辑锁 (soft lock): taken when an editable item opens, renewed every 60 s, released on leaving.
 * Someone else's live lock makes the page read-only with a 接管 (take over) button; if another
 * person takes over, the page turns read-only and says so.
 */
export function useEditLock(itemId: string, canEdit: boolean, onRegained?: () => void) {
  const [state, setState] = useState<LockState>({ kind: 'none' });
  const stateRef = useRef<LockState>(state);
  stateRef.current = state;
  const regained = useRef(onRegained);
  regained.current = onRegained;
  const notifyError = useNotifyError();

  const acquire = useCallback(
    async (takeover = false) => {
      try {
        await api.post<EditLock>(`/api/items/${itemId}/lock`, takeover ? { takeover: true } : {});
        // back from read-only: someone else may have saved meanwhile, so start from the latest
        if (stateRef.current.kind === 'other') regained.current?.();
        setState({ kind: 'mine' });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.code === 'locked') {
          const holder = (err.body.holder as { name?: string } | undefined)?.name ?? '?';
          setState({ kind: 'other', holder, takenFromMe: stateRef.current.kind === 'mine' });
        } else if (takeover) notifyError(err);
        return false;
      }
    },
    [itemId, notifyError],
  );

  useEffect(() => {
    if (!canEdit) return;
    void acquire();
    const timer = setInterval(() => {
      // mine: renew; someone else's: take it as soon as it is free (GET first, so a live lock is not disturbed)
      if (stateRef.current.kind === 'mine') void acquire();
      else
        void api
          .get<{ lock: EditLock | null }>(`/api/items/${itemId}/lock`)
          .then(async (res) => {
            const holder = res.lock?.holderName;
            if (holder) setState((s) => (s.kind === 'other' ? { ...s, holder } : s));
            else await acquire();
          })
          .catch(() => undefined);
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      if (stateRef.current.kind === 'mine') void api.del(`/api/items/${itemId}/lock`).catch(() => undefined);
    };
  }, [itemId, canEdit, acquire]);

  return { state, takeOver: () => acquire(true) };
}

/** "XX 正在编辑" with the 接管 button. */
export function LockBanner({ lock }: { lock: ReturnType<typeof useEditLock> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  if (lock.state.kind !== 'other') return null;
  const { holder, takenFromMe } = lock.state;
  return (
    <Alert
      type="warning"
      showIcon
      icon={<LockOutlined />}
      style={{ marginBottom: 12 }}
      data-testid="lock-banner"
      title={
        takenFromMe
          ? t(`${holder} 接管了编辑，当前为只读`, `${holder} took over editing; this page is read-only now`)
          : t(`${holder} 正在编辑，当前为只读`, `${holder} is editing; this page is read-only`)
      }
      action={
        <Button
          size="small"
          danger
          loading={busy}
          data-testid="lock-takeover"
          onClick={async () => {
            setBusy(true);
            await lock.takeOver();
            setBusy(false);
          }}
        >
          {t('接管', 'Take over')}
        </Button>
      }
    />
  );
}
