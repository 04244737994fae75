import { ApartmentOutlined, EditOutlined, PlusOutlined, StopOutlined, SwapOutlined, CheckCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Tag,
  Tree,
  TreeSelect,
  Typography,
  type TreeDataNode,
} from 'antd';
import { useMemo, useState, type Key } from 'react';
import { api, describeError } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { FormDialog } from '../shared/FormDialog.tsx';
import { useSession } from '../shared/session.ts';
import type { Unit, UnitKind } from '../shared/types.ts';
import { buildTree, isWithin, unitTreeSelectData, useUnits, type UnitNode } from './units.ts';
import { UnitChart } from './UnitChart.tsx';

const kindColors: Record<UnitKind, string> = {
  province: 'red',
  founder: 'gold',
  city: 'blue',
  county: 'green',
  zone: 'cyan',
  department: 'default',
};

type Dialog = { kind: 'create' } | { kind: 'rename' } | { kind: 'move' } | null;

/** 联合体: the member units as a tree, counts by kind, county centres per city, and unit admin actions. */
export default function AlliancePage() {
  const { session } = useSession();
  const { t, kind: kindLabel, lang } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const admin = session.can.manageStaff;
  const { units, loading, error, reload } = useUnits(admin);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);

  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const tree = useMemo(() => buildTree(units), [units]);
  const active = useMemo(() => units.filter((u) => u.active), [units]);
  const counts = useMemo(() => {
    const c: Record<UnitKind, number> = { province: 0, founder: 0, city: 0, county: 0, zone: 0, department: 0 };
    for (const u of active) c[u.kind]++;
    return c;
  }, [active]);
  const perCity = useMemo(
    () =>
      active
        .filter((u) => u.kind === 'city')
        .map((city) => ({
          name: city.name,
          value: active.filter((u) => u.parentId === city.id && (u.kind === 'county' || u.kind === 'zone')).length,
        })),
    [active],
  );

  const selected = selectedId ? byId.get(selectedId) : undefined;
  const canCreateUnder = (u: Unit) => u.can?.addChild === true;
  const canUpdate = (u: Unit) => u.can?.update === true;

  const toTreeData = (nodes: UnitNode[]): TreeDataNode[] =>
    nodes.map(({ unit, children }) => ({
      key: unit.id,
      title: (
        <span data-unit={unit.name} style={unit.active ? undefined : { opacity: 0.5 }}>
          <span>{unit.name}</span>
          {unit.divisionCode && (
            <Typography.Text type="secondary" style={{ marginInline: 6, fontSize: 12 }}>
              {unit.divisionCode}
            </Typography.Text>
          )}
          <Tag color={kindColors[unit.kind]} style={{ marginInlineStart: 6 }}>
            {kindLabel(unit.kind)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`人数 ${unit.memberCount ?? 0}`, `${unit.memberCount ?? 0} staff`)}
          </Typography.Text>
          {!unit.active && <Tag style={{ marginInlineStart: 6 }}>{t('已停用', 'Inactive')}</Tag>}
        </span>
      ),
      children: children.length ? toTreeData(children) : undefined,
      isLeaf: children.length === 0,
    }));
  const treeData = toTreeData(tree);
  const expandedKeys = expanded ?? tree.map((n) => n.unit.id);

  const patch = async (body: { name?: string; parentId?: string; active?: boolean }, done: string) => {
    if (!selected) return;
    setBusy(true);
    try {
      await api.patch<Unit>(`/api/units/${selected.id}`, body);
      message.success(done);
      setDialog(null);
      await reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  const create = async (values: { kind: UnitKind; name: string; divisionCode?: string }) => {
    if (!selected) return;
    setBusy(true);
    try {
      const unit = await api.post<Unit>('/api/units', {
        parentId: selected.id,
        kind: values.kind,
        name: values.name.trim(),
        ...(values.divisionCode ? { divisionCode: values.divisionCode } : {}),
      });
      message.success(t(`已新增 ${unit.name}`, `Added ${unit.name}`));
      setDialog(null);
      setExpanded([...new Set([...expandedKeys, selected.id])]);
      await reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  if (loading && units.length === 0) return <Spin />;
  if (error !== null && units.length === 0) return <Alert type="error" showIcon title={describeError(error, lang)} />;

  const statCard = (title: string, value: number, testId?: string, note?: string) => (
    <Col xs={12} md={6}>
      <Card size="small">
        <Statistic title={title} value={value} formatter={(v) => <span data-testid={testId}>{v}</span>} />
        {note && <Typography.Text type="secondary">{note}</Typography.Text>}
      </Card>
    </Col>
  );

  const defaultChildKind: UnitKind = selected?.kind === 'province' ? 'city' : selected?.kind === 'city' ? 'county' : 'department';

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        <ApartmentOutlined /> {t('天府融媒联合体', 'Tianfu media alliance')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {statCard(t('省级', 'Province'), counts.province)}
        {statCard(t('发起单位', 'Founders'), counts.founder)}
        {statCard(t('市（州）', 'Cities'), counts.city, 'city-count')}
        {/* 185 in Sichuan: the 183 county-level divisions plus the functional zones that run a centre of their own. */}
        {statCard(
          t('县级融媒体中心', 'County-level centres'),
          counts.county + counts.zone,
          'county-centre-count',
          t(`含 ${counts.county} 个县（市、区）和 ${counts.zone} 个功能区`, `${counts.county} counties and ${counts.zone} functional zones`),
        )}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('成员单位', 'Member units')}>
            <div data-testid="alliance-tree" style={{ maxHeight: 640, overflow: 'auto' }}>
              <Tree
                showLine
                blockNode
                treeData={treeData}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpanded(keys)}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(_, info) => setSelectedId(String(info.node.key))}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('所选单位', 'Selected unit')}>
            {selected ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('名称', 'Name')}>{selected.name}</Descriptions.Item>
                  <Descriptions.Item label={t('类型', 'Kind')}>{kindLabel(selected.kind)}</Descriptions.Item>
                  <Descriptions.Item label={t('区划代码', 'Division code')}>{selected.divisionCode ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('上级单位', 'Parent')}>{selected.parentId ? (byId.get(selected.parentId)?.name ?? '—') : '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('人数', 'Staff')}>{selected.memberCount ?? 0}</Descriptions.Item>
                  <Descriptions.Item label={t('状态', 'Status')}>
                    {selected.active ? <Tag color="green">{t('启用', 'Active')}</Tag> : <Tag>{t('已停用', 'Inactive')}</Tag>}
                  </Descriptions.Item>
                </Descriptions>
                {admin && (
                  <Space wrap>
                    <Button icon={<PlusOutlined />} disabled={!canCreateUnder(selected) || !selected.active} onClick={() => setDialog({ kind: 'create' })}>
                      {t('新增下级单位', 'Add child unit')}
                    </Button>
                    <Button icon={<EditOutlined />} disabled={!canUpdate(selected)} onClick={() => setDialog({ kind: 'rename' })}>
                      {t('改名', 'Rename')}
                    </Button>
                    <Button icon={<SwapOutlined />} disabled={!canUpdate(selected) || !selected.parentId} onClick={() => setDialog({ kind: 'move' })}>
                      {t('移动', 'Move')}
                    </Button>
                    {selected.active ? (
                      <Popconfirm
                        title={t(`停用 ${selected.name}？`, `Deactivate ${selected.name}?`)}
                        description={t('停用后该单位的人员不能再切换到此单位。', 'Its staff can no longer switch to this unit.')}
                        onConfirm={() => patch({ active: false }, t('已停用', 'Deactivated'))}
                        disabled={!canUpdate(selected)}
                      >
                        <Button danger icon={<StopOutlined />} disabled={!canUpdate(selected)} loading={busy}>
                          {t('停用', 'Deactivate')}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Button icon={<CheckCircleOutlined />} disabled={!canUpdate(selected)} loading={busy} onClick={() => patch({ active: true }, t('已启用', 'Reactivated'))}>
                        {t('启用', 'Reactivate')}
                      </Button>
                    )}
                  </Space>
                )}
              </Space>
            ) : (
              <Empty description={t('在左侧树中选择一个单位', 'Select a unit in the tree')} />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('各市（州）县级融媒体中心数量', 'County-level centres per city')}>
        <UnitChart bars={perCity} seriesName={t('县级融媒体中心', 'County-level centres')} />
      </Card>

      {selected && dialog?.kind === 'create' && (
        <FormDialog title={t(`在 ${selected.name} 下新增单位`, `Add a unit under ${selected.name}`)} onCancel={() => setDialog(null)} onFinish={create} initialValues={{ kind: defaultChildKind }} submit={t('新增', 'Add')} busy={busy}>
          <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true }]}>
            <Select options={(['founder', 'city', 'county', 'zone', 'department'] as const).map((k) => ({ value: k, label: kindLabel(k) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="divisionCode"
            label={t('区划代码（可选，6 位）', 'Division code (optional, 6 digits)')}
            rules={[{ pattern: /^\d{6}$/, message: t('区划代码为 6 位数字', 'A division code has 6 digits') }]}
          >
            <Input maxLength={6} />
          </Form.Item>
        </FormDialog>
      )}
      {selected && dialog?.kind === 'rename' && (
        <FormDialog title={t(`改名：${selected.name}`, `Rename ${selected.name}`)} onCancel={() => setDialog(null)} onFinish={(v: { name: string }) => patch({ name: v.name.trim() }, t('已改名', 'Renamed'))} initialValues={{ name: selected.name }} submit={t('保存', 'Save')} busy={busy}>
          <Form.Item name="name" label={t('新名称', 'New name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input />
          </Form.Item>
        </FormDialog>
      )}
      {selected && dialog?.kind === 'move' && (
        <FormDialog title={t(`移动：${selected.name}`, `Move ${selected.name}`)} onCancel={() => setDialog(null)} onFinish={(v: { parentId: string }) => patch({ parentId: v.parentId }, t('已移动', 'Moved'))} initialValues={{ parentId: selected.parentId }} submit={t('移动', 'Move')} busy={busy}>
          <Form.Item name="parentId" label={t('新的上级单位', 'New parent unit')} rules={[{ required: true }]}>
            <TreeSelect
              showSearch
              treeNodeFilterProp="title"
              treeData={unitTreeSelectData(tree, (u) => u.active && !isWithin(byId, u.id, selected.id) && canCreateUnder(u))}
              treeDefaultExpandedKeys={tree.map((n) => n.unit.id)}
            />
          </Form.Item>
        </FormDialog>
      )}
    </Space>
  );
}
