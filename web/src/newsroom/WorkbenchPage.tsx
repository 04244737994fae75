import { Card, Col, Empty, List, Row, Space, Spin, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { pick, statusColors, statusLabels } from '../content/model.ts';
import { api } from '../shared/api.ts';
import { useI18n } from '../shared/i18n.ts';
import { navigate } from '../shared/router.ts';
import { useLoad } from '../shared/useLoad.ts';
import type { ItemStatus } from '../shared/types.ts';
import { taskStatusColors, taskStatusLabels, type TaskStatus, type Workbench, type WorkbenchEntry } from './model.ts';
import { useLiveUpdates } from './notifications.tsx';
import { WorkbenchChart } from './WorkbenchChart.tsx';

/**
 * 工作台, the console's landing page (/): what the active unit and role have in hand today, as the server
 * decides per role (GET /api/workbench). Every line opens its story (or task).
 */
export default function WorkbenchPage() {
  const { t, role } = useI18n();
  const { data, loading, refresh } = useLoad((signal) => api.get<Workbench>('/api/workbench', undefined, signal), [], null as Workbench | null);
  useLiveUpdates(() => void refresh(), { pollMs: 60_000 });

  if (!data) return <Spin spinning={loading} style={{ display: 'block', marginTop: 48 }} />;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="workbench">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('工作台', 'Workbench')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {data.unitName} · {role(data.role)}
        </Typography.Text>
      </div>
      {data.mine && <MineSection mine={data.mine} />}
      {data.review && <ReviewSection review={data.review} />}
      {data.pipeline && <PipelineSection pipeline={data.pipeline} />}
      {data.subtree && <SubtreeSection subtree={data.subtree} />}
    </Space>
  );
}

/** One section: a heading, then its numbers and lists with the same spacing as the page. */
function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section>
      <Space align="baseline" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Space>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        {children}
      </Space>
    </section>
  );
}

function MineSection({ mine }: { mine: NonNullable<Workbench['mine']> }) {
  const { t } = useI18n();
  return (
    <Section title={t('我的稿件与任务', 'My stories and tasks')}>
      <Stats
        stats={[
          { key: 'drafts', label: t('我的草稿', 'My drafts'), value: mine.drafts.length },
          { key: 'returned', label: t('被退回', 'Returned to me'), value: mine.returned.length, alert: mine.returned.length > 0 },
          { key: 'in-review', label: t('审核中', 'In review'), value: mine.inReview.length },
          { key: 'published-today', label: t('今日发布', 'Published today'), value: mine.publishedToday.length },
          { key: 'tasks', label: t('我的任务', 'My tasks'), value: mine.tasks.length },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <EntryList id="returned" title={t('被退回，待修改', 'Returned to me')} entries={mine.returned} empty={t('没有被退回的稿件', 'Nothing returned')} />
        </Col>
        <Col xs={24} lg={12}>
          <EntryList id="tasks" title={t('我的任务', 'My tasks')} entries={mine.tasks} empty={t('没有待办任务', 'No open tasks')} />
        </Col>
        <Col xs={24} lg={12}>
          <EntryList id="drafts" title={t('我的草稿', 'My drafts')} entries={mine.drafts} empty={t('没有草稿', 'No drafts')} />
        </Col>
        <Col xs={24} lg={12}>
          <EntryList id="in-review" title={t('审核中', 'In review')} entries={mine.inReview} empty={t('没有审核中的稿件', 'Nothing in review')} />
        </Col>
        <Col xs={24} lg={12}>
          <EntryList id="published-today" title={t('今日发布', 'Published today')} entries={mine.publishedToday} empty={t('今天还没有发布', 'Nothing published today')} />
        </Col>
      </Row>
    </Section>
  );
}

function ReviewSection({ review }: { review: NonNullable<Workbench['review']> }) {
  const { t } = useI18n();
  return (
    <Section title={t('审核', 'Review')}>
      <Stats
        stats={[
          { key: 'waiting', label: t('待我审核', 'Waiting for my review'), value: review.waiting.length },
          { key: 'overdue', label: t(`超 ${review.overdueHours} 小时未审`, `Waiting over ${review.overdueHours} h`), value: review.overdue, alert: review.overdue > 0 },
          { key: 'signed-off-today', label: t('今日签发', 'Signed off today'), value: review.signedOffToday.length },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <EntryList id="waiting" title={t('待我审核', 'Waiting for my review')} entries={review.waiting} open={(e) => `/review/${e.itemId}`} empty={t('没有待审稿件', 'Nothing to review')} />
        </Col>
        <Col xs={24} lg={12}>
          <EntryList id="signed-off-today" title={t('今日签发', 'Signed off today')} entries={review.signedOffToday} empty={t('今天还没有签发', 'Nothing signed off today')} />
        </Col>
      </Row>
    </Section>
  );
}

function PipelineSection({ pipeline }: { pipeline: NonNullable<Workbench['pipeline']> }) {
  const { t } = useI18n();
  const { counts } = pipeline;
  const staff = (
    <Typography.Link onClick={() => navigate('/users')} data-testid="wb-staff">
      {t(`本单位人员 ${pipeline.staff} 人`, `${pipeline.staff} staff`)}
    </Typography.Link>
  );
  return (
    <Section title={t('本单位概况', 'This unit')} extra={staff}>
      <Stats
        stats={[
          { key: 'draft', label: t('草稿', 'Drafts'), value: counts.draft },
          { key: 'submitted', label: t('待初审', 'Submitted'), value: counts.submitted },
          { key: 'unit-in-review', label: t('审核中', 'In review'), value: counts.inReview },
          { key: 'signed-off', label: t('已签发待发布', 'Signed off'), value: counts.signedOff },
          { key: 'unit-published-today', label: t('今日发布', 'Published today'), value: counts.publishedToday },
          { key: 'failed-deliveries', label: t('渠道投递失败', 'Failed deliveries'), value: pipeline.failedDeliveries, alert: pipeline.failedDeliveries > 0 },
        ]}
      />
      <EntryList id="failures" title={t('渠道投递失败', 'Failed channel deliveries')} entries={pipeline.failures} empty={t('没有投递失败', 'No failed deliveries')} />
    </Section>
  );
}

function SubtreeSection({ subtree }: { subtree: NonNullable<Workbench['subtree']> }) {
  const { t } = useI18n();
  const total = (key: 'inReview' | 'publishedToday') => subtree.own[key] + subtree.children.reduce((n, c) => n + c[key], 0);
  // Only units with something today get a bar: 25 empty rows would hide the few that matter.
  const active = subtree.children.filter((c) => c.inReview + c.publishedToday > 0);
  const quiet = subtree.children.length - active.length;
  return (
    <Section title={t('下级单位', 'Child units')}>
      <Stats
        stats={[
          { key: 'subtree-published-today', label: t('全辖今日发布', 'Published today (subtree)'), value: total('publishedToday') },
          { key: 'subtree-in-review', label: t('全辖审核中', 'In review (subtree)'), value: total('inReview') },
          { key: 'children', label: t('下级单位', 'Child units'), value: subtree.children.length, link: '/alliance' },
        ]}
      />
      <Row gutter={[16, 16]}>
        {subtree.children.length > 0 && (
          <Col xs={24} lg={14}>
            <Card title={t('下级单位今日动态', "Today's activity by child unit")} size="small" data-testid="wb-activity">
              {active.length > 0 ? (
                <WorkbenchChart units={active} labels={{ published: t('今日发布', 'Published today'), inReview: t('审核中', 'In review') }} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('下级单位今天还没有动态', 'No activity below today')} />
              )}
              {active.length > 0 && quiet > 0 && (
                <Typography.Text type="secondary" data-testid="wb-quiet">
                  {t(`另有 ${quiet} 个单位今天暂无动态`, `${quiet} more units have no activity today`)}
                </Typography.Text>
              )}
            </Card>
          </Col>
        )}
        <Col xs={24} lg={subtree.children.length > 0 ? 10 : 24}>
          <EntryList id="subtree-published" title={t('今日发布（最新）', 'Published today (latest)')} entries={subtree.publishedToday} empty={t('今天还没有发布', 'Nothing published today')} />
        </Col>
      </Row>
    </Section>
  );
}

interface Stat {
  key: string;
  label: string;
  value: number;
  /** Red when it asks for attention (returned stories, overdue reviews, failed deliveries). */
  alert?: boolean;
  link?: string;
}

function Stats({ stats }: { stats: Stat[] }) {
  return (
    <Row gutter={[12, 12]}>
      {stats.map((s) => (
        <Col key={s.key} xs={12} sm={8} md={6} xl={4}>
          <Card size="small" style={{ height: '100%' }} hoverable={!!s.link} onClick={s.link ? () => navigate(s.link!) : undefined} data-testid={`wb-stat-${s.key}`}>
            <Statistic title={s.label} value={s.value} valueStyle={s.alert ? { color: '#cf1322' } : undefined} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Where a line leads: a task to its page, a story to its item page (or where the caller says). */
const defaultTarget = (e: WorkbenchEntry) => (e.taskId ? `/tasks/${e.taskId}` : `/items/${e.itemId}`);

function EntryList({ id, title, entries, empty, open = defaultTarget }: { id: string; title: string; entries: WorkbenchEntry[]; empty: string; open?: (e: WorkbenchEntry) => string }) {
  return (
    <Card title={title} size="small" data-testid={`wb-list-${id}`} styles={{ body: { paddingBlock: 4 } }}>
      {entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} style={{ marginBlock: 8 }} />
      ) : (
        <List
          size="small"
          dataSource={entries}
          rowKey={(e) => e.taskId ?? `${e.itemId}:${e.where ?? ''}`}
          renderItem={(e) => (
            <List.Item style={{ paddingInline: 0 }}>
              <List.Item.Meta
                title={
                  <Typography.Link data-testid="wb-entry" onClick={() => navigate(open(e))}>
                    {e.title}
                  </Typography.Link>
                }
                description={<EntryLine entry={e} />}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** Today's times as 14:05, other days as 12/3 14:05: the page is about today. */
function shortTime(iso: string, locale: string): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString(locale, { month: 'numeric', day: 'numeric' })} ${time}`;
}

/** Status, where and when, who, and why, in one line under the title. */
function EntryLine({ entry: e }: { entry: WorkbenchEntry }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const parts: ReactNode[] = [];
  if (e.taskId) {
    const status = e.status as TaskStatus;
    parts.push(<Tag key="s" color={taskStatusColors[status]}>{i18n.t(...taskStatusLabels[status])}</Tag>);
    if (e.at) parts.push(<span key="due">{t('截止', 'Due')} {shortTime(e.at, locale)}</span>);
  } else {
    const status = e.status as ItemStatus;
    if (e.status !== 'failed') parts.push(<Tag key="s" color={statusColors[status]}>{pick(i18n, statusLabels[status])}</Tag>);
    if (e.where) parts.push(<Tag key="w">{e.where}</Tag>);
    if (e.unitName) parts.push(<span key="u">{e.unitName}</span>);
    if (e.at) parts.push(<span key="at">{shortTime(e.at, locale)}</span>);
    if (e.who) parts.push(<span key="who">{e.who}</span>);
  }
  if (e.overdue) parts.push(<Tag key="o" color="red">{t('超时', 'Overdue')}</Tag>);
  return (
    <Space size={4} wrap>
      {parts}
      {e.note && (
        <Typography.Text type={e.status === 'failed' ? 'danger' : 'warning'} data-testid="wb-note">
          {e.status === 'failed' ? e.note : t(`退回意见：${e.note}`, `Returned: ${e.note}`)}
        </Typography.Text>
      )}
    </Space>
  );
}
