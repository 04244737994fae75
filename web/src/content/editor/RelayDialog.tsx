import { App, Input, Modal, Space, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { buildTree, isWithin, unitTreeSelectData } from '../../alliance/units.ts';
import { api, describeError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.ts';
import { useSession } from '../../shared/session.ts';
import type { Unit } from '../../shared/types.ts';

export type RelayKind = 'relay-up' | 'relay-down';

/** Where 上报 and 下发 go from the active unit: the unit above it (null at the root) and whether any unit sits below. */
export function relayTargets(units: Unit[], activeUnitId: string) {
  const parentId = units.find((u) => u.id === activeUnitId)?.parentId;
  return {
    parentUnit: units.find((u) => u.id === parentId) ?? null,
    hasChildren: units.some((u) => u.parentId === activeUnitId),
  };
}

/**
 * 上报 / 下发 one item: the title names the unit it goes up to; 下发 picks units below. A refusal (this
 * revision already sent to that unit, …) stays in the dialog in the server's words, so the person
 * sees which unit already has it.
 */
export function RelayDialog({ itemId, kind, units, onClose }: { itemId: string; kind: RelayKind; units: Unit[]; onClose(): void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { session } = useSession();
  const { parentUnit } = relayTargets(units, session.activeUnitId);
  const [note, setNote] = useState('');
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const below = useMemo(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    return unitTreeSelectData(buildTree(units), (u) => u.id !== session.activeUnitId && isWithin(byId, u.id, session.activeUnitId));
  }, [units, session.activeUnitId]);
  const parentName = parentUnit?.name ?? t('上级单位', 'the parent unit');

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = kind === 'relay-up' ? { note: note.trim() || undefined } : { unitIds, note: note.trim() || undefined };
      const res = await api.post<{ relays: number }>(`/api/items/${itemId}/${kind}`, body);
      message.success(kind === 'relay-up' ? t(`已上报给${parentName}`, `Relayed up to ${parentName}`) : t(`已下发给 ${res.relays} 家单位`, `Relayed down to ${res.relays} units`));
      onClose();
    } catch (err) {
      setError(describeError(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={kind === 'relay-up' ? t(`上报给${parentName}`, `Relay up to ${parentName}`) : t('下发给下级单位', 'Relay down to units below')}
      onCancel={onClose}
      onOk={send}
      okText={kind === 'relay-up' ? t('上报', 'Relay up') : t('下发', 'Relay down')}
      okButtonProps={{ loading: busy, disabled: kind === 'relay-down' && unitIds.length === 0, 'data-testid': 'relay-confirm' }}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid="relay-dialog">
        {kind === 'relay-down' && (
          <TreeSelect multiple treeCheckable showSearch treeNodeFilterProp="title" style={{ width: '100%' }} treeData={below} value={unitIds} onChange={(v: string[]) => setUnitIds(v)} placeholder={t('选择单位', 'Choose units')} maxTagCount={4} />
        )}
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('附言（可选），对方在汇聚里看得到', 'Note (optional); they see it under Incoming')} autoSize={{ minRows: 2 }} data-testid="relay-note-input" />
        {error && (
          <Typography.Text type="danger" data-testid="relay-error">
            {error}
          </Typography.Text>
        )}
      </Space>
    </Modal>
  );
}
