import { EditOutlined, MailOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { formatTime, useI18n } from '../shared/i18n.ts';
import { FormDialog } from '../shared/FormDialog.tsx';
import { useLoad } from '../shared/useLoad.ts';
import { useSession } from '../shared/session.ts';
import { type Invitation, type ListOf, type Role, type Unit, type User } from '../shared/types.ts';
import { buildTree, isWithin, unitTreeSelectData, useUnits } from '../alliance/units.ts';

const PAGE_SIZE = 20;

interface CreateForm {
  username: string;
  displayName: string;
  password: string;
  unitId: string;
  role: Role;
}

interface EditForm {
  displayName: string;
  active: boolean;
  password?: string;
}

/** 人员与角色: staff the active role may see (its unit or subtree), with accounts and roles for admins; supervisors read only. */
export default function UsersPage() {
  const { session } = useSession();
  const { t, role: roleLabel, locale } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const canManage = session.can.manageStaff;
  const { units } = useUnits();
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const tree = useMemo(() => buildTree(units), [units]);
  const inScope = useCallback((u: Unit) => isWithin(byId, u.id, session.activeUnitId), [byId, session.activeUnitId]);
  const unitOptions = useMemo(() => unitTreeSelectData(tree, inScope), [tree, inScope]);
  const grantable = session.can.grantableRoles;
  const roleOptions = grantable.map((r) => ({ value: r, label: roleLabel(r) }));

  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [rolesOf, setRolesOf] = useState<User | null>(null);
  const [busy, setBusy] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [invitations, setInvitations] = useState<Invitation[]>([]);

  const loadInvitations = useCallback(async () => {
    if (!canManage) return;
    try {
      setInvitations((await api.get<ListOf<Invitation>>('/api/invitations')).items);
    } catch (err) {
      notifyError(err);
    }
  }, [canManage, notifyError]);

  useEffect(() => {
    void loadInvitations();
  }, [loadInvitations]);

  const {
    data: { rows, hasMore },
    loading,
    reload: load,
  } = useLoad(
    async (signal) => {
      const res = await api.get<ListOf<User>>('/api/users', { q, unitId, limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE }, signal);
      return { rows: res.items.slice(0, PAGE_SIZE), hasMore: res.items.length > PAGE_SIZE };
    },
    [q, unitId, page],
    { rows: [] as User[], hasMore: false },
  );

  /** Runs a write, reports success or the server's reason, then reloads the table. */
  const write = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      message.success(done);
      await load();
      return true;
    } catch (err) {
      notifyError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const updateRolesDialog = async (userId: string) => {
    try {
      setRolesOf(await api.get<User>(`/api/users/${userId}`));
    } catch (err) {
      notifyError(err);
    }
  };

  const columns: TableColumnsType<User> = [
    { title: t('用户名', 'Username'), dataIndex: 'username', key: 'username' },
    { title: t('姓名', 'Name'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('单位 · 角色', 'Unit · role'),
      key: 'memberships',
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.memberships.map((m) => (
            <Tag key={m.unitId} color={m.role === 'alliance_admin' || m.role === 'supervisor' ? 'red' : m.role === 'unit_admin' ? 'blue' : undefined}>
              {m.unitName} · {roleLabel(m.role)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('状态', 'Status'),
      key: 'active',
      render: (_, u) => (u.active ? <Tag color="green">{t('启用', 'Active')}</Tag> : <Tag>{t('已停用', 'Inactive')}</Tag>),
    },
    { title: t('最近登录', 'Last sign-in'), key: 'lastLoginAt', render: (_, u) => formatTime(u.lastLoginAt, locale) },
    ...(canManage
      ? [
          {
            title: t('操作', 'Actions'),
            key: 'actions',
            render: (_: unknown, u: User) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                  {t('编辑', 'Edit')}
                </Button>
                <Button size="small" icon={<SafetyCertificateOutlined />} onClick={() => setRolesOf(u)}>
                  {t('角色', 'Roles')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('人员与角色', 'Users & roles')}
      extra={
        canManage ? (
          <Space>
            <Button data-testid="invite-user" icon={<MailOutlined />} onClick={() => setInviting(true)}>
              {t('邀请已有账号', 'Invite an existing account')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('新增人员', 'Add user')}
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('只读', 'Read only')}</Typography.Text>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('搜索用户名或姓名', 'Search username or name')}
          onSearch={(value) => {
            setPage(0);
            setQ(value.trim());
          }}
          style={{ width: 260 }}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('按单位筛选', 'Filter by unit')}
          treeData={unitOptions}
          value={unitId}
          onChange={(value?: string) => {
            setPage(0);
            setUnitId(value);
          }}
          style={{ width: 280 }}
        />
      </Space>
      <Table<User> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={loading} pagination={false} />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t('上一页', 'Previous')}
        </Button>
        <Typography.Text>{t(`第 ${page + 1} 页`, `Page ${page + 1}`)}</Typography.Text>
        <Button disabled={!hasMore} onClick={() => setPage(page + 1)}>
          {t('下一页', 'Next')}
        </Button>
      </Space>

      {canManage && invitations.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('待接受的邀请', 'Invitations waiting for an answer')}
          </Typography.Title>
          <Table<Invitation>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={invitations}
            columns={[
              { title: t('用户名', 'Username'), dataIndex: 'username', key: 'username' },
              { title: t('单位 · 角色', 'Unit · role'), key: 'unit', render: (_, i) => `${i.unitName} · ${roleLabel(i.role)}` },
              { title: t('邀请人', 'Invited by'), dataIndex: 'invitedByName', key: 'invitedByName' },
              { title: t('有效期至', 'Open until'), key: 'expiresAt', render: (_, i) => formatTime(i.expiresAt, locale) },
              {
                title: '',
                key: 'cancel',
                render: (_, i) => (
                  <Popconfirm
                    title={t(`撤回对 ${i.username} 的邀请？`, `Cancel the invitation to ${i.username}?`)}
                    onConfirm={async () => {
                      if (await write(() => api.del(`/api/invitations/${i.id}`), t('已撤回邀请', 'Invitation cancelled'))) await loadInvitations();
                    }}
                  >
                    <Button size="small">{t('撤回', 'Cancel')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </>
      )}

      {inviting && (
        <FormDialog<{ username: string; unitId: string; role: Role }>
          title={t('邀请已有账号加入单位', 'Invite an existing account into a unit')}
          onCancel={() => setInviting(false)}
          intro={
            <Typography.Paragraph type="secondary">
              {t(
                '对方在其他单位已有账号时，须由本人在控制台接受邀请后才会加入；接受前你看不到对方的资料。',
                'Someone who already works in another unit joins only after accepting in the console; until then their profile stays closed to you.',
              )}
            </Typography.Paragraph>
          }
          initialValues={{ unitId: session.activeUnitId, role: 'reporter' }}
          submit={t('发送邀请', 'Send invitation')}
          busy={busy}
          onFinish={async (v) => {
            const sent = await write(() => api.post('/api/invitations', { ...v, username: v.username.trim() }), t(`已向 ${v.username.trim()} 发出邀请`, `Invitation sent to ${v.username.trim()}`));
            if (sent) {
              setInviting(false);
              await loadInvitations();
            }
          }}
        >
          <Form.Item name="username" label={t('对方的用户名', 'Their username')} rules={[{ required: true, whitespace: true, max: 40 }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="unitId" label={t('加入单位', 'Unit to join')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={unitOptions} />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')} rules={[{ required: true }]}>
            <Select options={roleOptions} />
          </Form.Item>
        </FormDialog>
      )}

      {creating && (
        <FormDialog<CreateForm>
          title={t('新增人员', 'Add user')}
          onCancel={() => setCreating(false)}
          submit={t('新增', 'Add')}
          busy={busy}
          initialValues={{ unitId: session.activeUnitId, role: 'reporter' }}
          onFinish={async (v) => {
            if (await write(() => api.post('/api/users', { ...v, username: v.username.trim(), displayName: v.displayName.trim() }), t('已新增人员', 'User added'))) setCreating(false);
          }}
        >
          <Form.Item name="username" label={t('用户名', 'Username')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.@-]{2,40}$/, message: t('2–40 位字母、数字或 _ . @ -', '2–40 letters, digits or _ . @ -') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('姓名', 'Name')} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('初始密码', 'Initial password')}
            extra={t('至少 10 个字符，含大写字母、小写字母、数字、符号中的至少三类，不含用户名', 'At least 10 characters, three of: upper-case, lower-case, digits, symbols; not containing the username')}
            rules={[{ required: true, min: 10, max: 200 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="unitId" label={t('单位', 'Unit')} rules={[{ required: true }]}>
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={unitOptions} />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')} rules={[{ required: true }]}>
            <Select options={roleOptions} />
          </Form.Item>
        </FormDialog>
      )}

      {editing && (
        <FormDialog<EditForm>
          title={t(`编辑：${editing.username}`, `Edit ${editing.username}`)}
          onCancel={() => setEditing(null)}
          submit={t('保存', 'Save')}
          busy={busy}
          actions={
            <Popconfirm
              title={t('重置两步验证？对方需重新绑定验证器（例如手机丢失时）。', 'Reset two-step verification? The person will set it up again (e.g. after losing a phone).')}
              onConfirm={() => write(() => api.del(`/api/users/${editing.id}/mfa`), t('已重置两步验证', 'Two-step verification reset'))}
            >
              <Button danger>{t('重置两步验证', 'Reset two-step verification')}</Button>
            </Popconfirm>
          }
          initialValues={{ displayName: editing.displayName, active: editing.active }}
          onFinish={async (v) => {
            const body: Partial<EditForm> = {};
            if (v.displayName.trim() !== editing.displayName) body.displayName = v.displayName.trim();
            if (v.active !== editing.active) body.active = v.active;
            if (v.password) body.password = v.password;
            if (Object.keys(body).length === 0) return setEditing(null);
            if (await write(() => api.patch(`/api/users/${editing.id}`, body), t('已保存', 'Saved'))) setEditing(null);
          }}
        >
          <Form.Item name="displayName" label={t('姓名', 'Name')} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('重置密码（留空则不变）', 'Reset password (leave empty to keep)')}
            extra={t('重置后，对方下次登录须先修改密码', 'After a reset the person must choose a new password at the next sign-in')}
            rules={[{ min: 10, max: 200 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </FormDialog>
      )}

      {rolesOf && (
        <Modal open width={640} title={t(`角色：${rolesOf.displayName}（${rolesOf.username}）`, `Roles of ${rolesOf.displayName} (${rolesOf.username})`)} onCancel={() => setRolesOf(null)} footer={null} destroyOnHidden>
          <Table
            rowKey="unitId"
            size="small"
            pagination={false}
            dataSource={rolesOf.memberships}
            columns={[
              { title: t('单位', 'Unit'), dataIndex: 'unitName', key: 'unitName' },
              {
                title: t('角色', 'Role'),
                key: 'role',
                render: (_, m) => (
                  <Select<Role>
                    size="small"
                    style={{ width: 160 }}
                    value={m.role}
                    options={grantable.includes(m.role) ? roleOptions : [{ value: m.role, label: roleLabel(m.role) }, ...roleOptions]}
                    onChange={async (role) => {
                      if (await write(() => api.put(`/api/users/${rolesOf.id}/memberships/${m.unitId}`, { role }), t('角色已更新', 'Role updated'))) await updateRolesDialog(rolesOf.id);
                    }}
                  />
                ),
              },
              {
                title: '',
                key: 'remove',
                render: (_, m) => (
                  <Popconfirm
                    title={t(`将其移出 ${m.unitName}？`, `Remove from ${m.unitName}?`)}
                    onConfirm={async () => {
                      if (await write(() => api.del(`/api/users/${rolesOf.id}/memberships/${m.unitId}`), t('已移出', 'Removed'))) await updateRolesDialog(rolesOf.id);
                    }}
                  >
                    <Button size="small" danger>
                      {t('移出', 'Remove')}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('加入单位', 'Add to a unit')}
          </Typography.Title>
          <Form<{ unitId: string; role: Role }>
            layout="inline"
            initialValues={{ role: 'reporter' }}
            onFinish={async (v) => {
              if (await write(() => api.put(`/api/users/${rolesOf.id}/memberships/${v.unitId}`, { role: v.role }), t('已加入', 'Added'))) await updateRolesDialog(rolesOf.id);
            }}
          >
            <Form.Item name="unitId" rules={[{ required: true, message: t('请选择单位', 'Pick a unit') }]}>
              <TreeSelect showSearch treeNodeFilterProp="title" treeData={unitOptions} placeholder={t('单位', 'Unit')} style={{ width: 240 }} />
            </Form.Item>
            <Form.Item name="role" rules={[{ required: true }]}>
              <Select options={roleOptions} style={{ width: 150 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('加入', 'Add')}
            </Button>
          </Form>
        </Modal>
      )}
    </Card>
  );
}
