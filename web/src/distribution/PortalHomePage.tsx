import { Alert, App, Button, Card, Form, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { Static } from 'typebox';
import type { CuratedStorySchema, CurationSchema } from '../../../src/modules/portal/curation.schema.ts';
import { api } from '../shared/api.ts';
import { useNotifyError } from '../shared/feedback.ts';
import { useI18n } from '../shared/i18n.ts';
import { useLoad } from '../shared/useLoad.ts';

type Curation = Static<typeof CurationSchema>;
type Story = Static<typeof CuratedStorySchema>;

interface Values {
  headlineItemId: string | null;
  topicItemIds: string[];
  sectionOrder: string[];
}

/** A select that searches the unit's live portal stories as the editor types (头条) or lists its topics (专题). */
function useStoryOptions(type?: 'special') {
  const notifyError = useNotifyError();
  const [options, setOptions] = useState<Story[]>([]);
  const search = async (q: string) => {
    try {
      setOptions((await api.get<{ items: Story[] }>('/api/portal/curation/candidates', { ...(q ? { q } : {}), ...(type ? { type } : {}) })).items);
    } catch (err) {
      notifyError(err);
    }
  };
  return { options, search };
}

/**
 * 门户编排: the unit's editors choose the portal home's 头条 (searched among the unit's own live stories),
 * the 专题 on its strip and which 栏目 come first. Left empty, the home arranges itself.
 */
export default function PortalHomePage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const headline = useStoryOptions();
  const topics = useStoryOptions('special');
  const { data, setData, loading } = useLoad<Curation | null>(
    async (signal) => {
      const c = await api.get<Curation>('/api/portal/curation', undefined, signal);
      form.setFieldsValue({ headlineItemId: c.headline?.itemId ?? null, topicItemIds: c.topics.map((s) => s.itemId), sectionOrder: c.sectionOrder });
      void headline.search('');
      void topics.search('');
      return c;
    },
    [],
    null,
  );

  const save = async (v: Values) => {
    setSaving(true);
    try {
      setData(await api.put<Curation>('/api/portal/curation', { headlineItemId: v.headlineItemId ?? null, topicItemIds: v.topicItemIds ?? [], sectionOrder: v.sectionOrder ?? [] }));
      message.success(t('已保存，门户首页已更新', 'Saved; the portal home is updated'));
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  const storyOption = (s: Story) => ({ value: s.itemId, label: `${s.title}${s.category ? ` · ${s.category}` : ''}${s.hasPicture ? '' : t('（无图）', ' (no picture)')}` });
  const withCurrent = (list: Story[], current: Story[]) => [...current.filter((c) => !list.some((s) => s.itemId === c.itemId)), ...list].map(storyOption);

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 880 }}>
      <Typography.Title level={3}>{t('门户编排', 'Portal home')}</Typography.Title>
      <Alert type="info" showIcon message={t('头条和专题只能选本单位门户上在发的本单位稿件。不选时，首页自动以最新的有图稿件作头条、最新专题上专题条，栏目按稿件数排序。', 'Only this unit’s own live portal stories can be chosen. Left empty, the home uses the newest story with a picture, the newest topics and the busiest sections.')} />
      <Card loading={loading} title={data ? `${data.unit.name}` : ''} extra={data && <a href={data.homeUrl} target="_blank" rel="noreferrer">{t('查看门户首页', 'Open the portal home')}</a>}>
        <Form form={form} layout="vertical" onFinish={save} disabled={!data}>
          <Form.Item name="headlineItemId" label={t('头条', 'Headline')} extra={t('输入标题中的词搜索', 'Type words of the title to search')}>
            <Select showSearch allowClear filterOption={false} onSearch={(q) => void headline.search(q)} placeholder={t('自动（最新的有图稿件）', 'Automatic (newest story with a picture)')} options={withCurrent(headline.options, data?.headline ? [data.headline] : [])} data-testid="curation-headline" />
          </Form.Item>
          <Form.Item name="topicItemIds" label={t('专题（按顺序，最多 6 个）', 'Topics (in order, up to 6)')}>
            <Select mode="multiple" maxCount={6} filterOption={false} onSearch={(q) => void topics.search(q)} placeholder={t('自动（最新专题）', 'Automatic (newest topics)')} options={withCurrent(topics.options, data?.topics ?? [])} data-testid="curation-topics" />
          </Form.Item>
          <Form.Item name="sectionOrder" label={t('栏目顺序（先选的排在前面，其余按稿件数）', 'Section order (chosen first, the rest by size)')}>
            <Select mode="multiple" placeholder={t('自动（稿件多的在前）', 'Automatic (busiest first)')} options={(data?.sections ?? []).map((s) => ({ value: s.category, label: `${s.category}（${s.stories}）` }))} data-testid="curation-sections" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('保存', 'Save')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
