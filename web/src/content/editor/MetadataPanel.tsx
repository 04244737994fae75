import dayjs from 'dayjs';
import { BulbOutlined, DeleteOutlined, DownloadOutlined, PictureOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Collapse, DatePicker, Form, Input, Select, Space, Switch, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../shared/api.ts';
import { assetSrc, categories, pick, readUnderstanding, scopeHelp, scopeLabels, scopeReadersNote } from '../model.ts';
import { useI18n } from '../../shared/i18n.ts';
import { navigate } from '../../shared/router.ts';
import { shareScopes, type Item, type ItemFields, type ShareScope, type Unit } from '../../shared/types.ts';
import { buildTree, type UnitNode } from '../../alliance/units.ts';

interface Props {
  item: Item;
  fields: ItemFields;
  editable: boolean;
  units: Unit[];
  onChange(patch: Partial<ItemFields>): void;
  onPickCover(): void;
  onShare(scope: ShareScope, unitIds: string[]): void;
  onRefreshUnderstanding(): void;
  /** Corrects the machine's reading (PATCH /api/items/:id/understanding); resolves with the new reading. */
  onCorrectUnderstanding(correction: { keywords?: string[]; summary?: string; category?: string }): void;
}

interface Duplicate {
  id: string;
  unitId: string;
  unitName: string;
  title: string;
  distance: number;
}

/** Region choices: the unit tree, valued by division code (units without one are shown but not choosable). */
function regionTree(nodes: UnitNode[]): NonNullable<Parameters<typeof TreeSelect>[0]['treeData']> {
  return nodes.map((n) => ({
    value: n.unit.divisionCode ?? `unit:${n.unit.id}`,
    title: n.unit.divisionName ?? n.unit.name,
    disabled: !n.unit.divisionCode,
    children: regionTree(n.children),
  }));
}

function unitTree(nodes: UnitNode[]): NonNullable<Parameters<typeof TreeSelect>[0]['treeData']> {
  return nodes.map((n) => ({ value: n.unit.id, title: n.unit.name, children: unitTree(n.children) }));
}

/** BCP 47 tags for the languages the alliance publishes in (the server's default is zh-CN). */
const languages = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'zh-TW', label: '繁體中文' },
  { value: 'en', label: 'English' },
  { value: 'ii', label: 'ꆈꌠꉙ 彝文 Nuosu' },
  { value: 'bo', label: 'བོད་ཡིག 藏文 Tibetan' },
];

/** 稿件信息: the metadata beside the body, the share scope, and the understanding job's suggestions. */
export function MetadataPanel({ item, fields, editable, units, onChange, onPickCover, onShare, onRefreshUnderstanding, onCorrectUnderstanding }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const tree = useMemo(() => buildTree(units), [units]);
  const regions = useMemo(() => regionTree(tree), [tree]);
  const shareUnits = useMemo(() => unitTree(tree), [tree]);
  const understanding = readUnderstanding(item.understanding);
  const disabled = !editable;
  const [chosenScope, setChosenScope] = useState<ShareScope>(item.shareScope);
  const [chosenUnits, setChosenUnits] = useState<string[]>(item.shareUnitIds);
  useEffect(() => {
    setChosenScope(item.shareScope);
    setChosenUnits(item.shareUnitIds);
  }, [item.shareScope, item.shareUnitIds]);

  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const simhash = understanding?.simhash ?? null;
  useEffect(() => {
    if (!simhash) return;
    let live = true;
    api
      .get<{ items: Duplicate[] }>(`/api/items/${item.id}/duplicates`)
      .then((res) => live && setDuplicates(res.items))
      .catch(() => live && setDuplicates([])); // near-duplicates are a hint; without them the panel still works
    return () => {
      live = false;
    };
  }, [item.id, simhash]);

  const addTag = (tag: string) => {
    if (!fields.tags.includes(tag)) onChange({ tags: [...fields.tags, tag].slice(0, 30) });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small" title={t('稿件信息', 'Details')} data-testid="metadata-panel">
        <Form layout="vertical" size="small" disabled={disabled} component="div">
          <Form.Item label={t('封面图', 'Cover image')}>
            <Space align="start">
              {fields.coverAssetId ? (
                <img src={assetSrc(fields.coverAssetId, 'thumb')} alt="" data-testid="cover-thumb" style={{ width: 120, height: 80, objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0' }} />
              ) : (
                <div style={{ width: 120, height: 80, display: 'grid', placeItems: 'center', background: '#fafafa', border: '1px dashed #d9d9d9', borderRadius: 4, color: '#999' }}>
                  <PictureOutlined />
                </div>
              )}
              <Space direction="vertical" size={4}>
                <Button size="small" onClick={onPickCover} data-testid="pick-cover">
                  {t('选择封面', 'Choose cover')}
                </Button>
                {fields.coverAssetId && (
                  <Button size="small" danger type="text" onClick={() => onChange({ coverAssetId: null })}>
                    {t('移除', 'Remove')}
                  </Button>
                )}
              </Space>
            </Space>
          </Form.Item>
          <Form.Item label={t('副标题', 'Subtitle')}>
            <Input value={fields.subtitle ?? ''} maxLength={200} onChange={(e) => onChange({ subtitle: e.target.value || null })} />
          </Form.Item>
          <Form.Item label={t('摘要', 'Summary')}>
            <Input.TextArea value={fields.summary ?? ''} maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} onChange={(e) => onChange({ summary: e.target.value || null })} data-testid="summary-input" />
          </Form.Item>
          <Form.Item label={t('署名', 'Byline')}>
            <Input value={fields.byline ?? ''} maxLength={200} placeholder={t('记者 张三', 'Reporter name')} onChange={(e) => onChange({ byline: e.target.value || null })} />
          </Form.Item>
          <Form.Item label={t('参与人员', 'Contributors')}>
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              {fields.contributors.map((c, idx) => (
                <Space.Compact key={idx} style={{ width: '100%' }}>
                  <Input
                    placeholder={t('姓名', 'Name')}
                    value={c.name}
                    maxLength={60}
                    onChange={(e) => onChange({ contributors: fields.contributors.map((x, j) => (j === idx ? { ...x, name: e.target.value } : x)) })}
                  />
                  <AutoComplete
                    placeholder={t('分工', 'Role')}
                    value={c.role}
                    style={{ width: 110 }}
                    options={['摄影', '摄像', '编辑', '校对', '剪辑', '配音'].map((v) => ({ value: v }))}
                    onChange={(v: string) => onChange({ contributors: fields.contributors.map((x, j) => (j === idx ? { ...x, role: v.slice(0, 30) } : x)) })}
                  />
                  <Button icon={<DeleteOutlined />} onClick={() => onChange({ contributors: fields.contributors.filter((_, j) => j !== idx) })} aria-label={t('删除', 'Remove')} />
                </Space.Compact>
              ))}
              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onChange({ contributors: [...fields.contributors, { name: '', role: '' }] })}>
                {t('添加', 'Add')}
              </Button>
            </Space>
          </Form.Item>
          <Form.Item label={t('来源', 'Source')}>
            <Input value={fields.source ?? ''} maxLength={200} onChange={(e) => onChange({ source: e.target.value || null })} />
          </Form.Item>
          <Form.Item label={t('版权署名', 'Credit line')}>
            <Input value={fields.creditLine ?? ''} maxLength={200} onChange={(e) => onChange({ creditLine: e.target.value || null })} />
          </Form.Item>
          <Form.Item label={t('标签', 'Tags')}>
            <Select mode="tags" value={fields.tags} tokenSeparators={[',', '，', '、']} onChange={(tags: string[]) => onChange({ tags: tags.map((x) => x.slice(0, 30)).slice(0, 30) })} open={false} suffixIcon={null} data-testid="tags-input" />
          </Form.Item>
          <Form.Item label={t('分类', 'Category')}>
            <AutoComplete value={fields.category ?? ''} options={categories.map((c) => ({ value: c }))} onChange={(v: string) => onChange({ category: v.slice(0, 40) || null })} allowClear />
          </Form.Item>
          <Form.Item label={t('地区', 'Region')}>
            <TreeSelect
              allowClear
              showSearch
              treeNodeFilterProp="title"
              treeData={regions}
              value={fields.regionCode ?? undefined}
              onChange={(v?: string) => onChange({ regionCode: v && /^\d{6}$/.test(v) ? v : null })}
              placeholder={t('区划', 'Division')}
            />
          </Form.Item>
          <Form.Item label={t('语言', 'Language')}>
            <Select
              value={fields.language}
              onChange={(language: string) => onChange({ language })}
              options={[
                ...languages,
                // keep a value set elsewhere (ingest, the API) choosable as it is
                ...(languages.some((l) => l.value === fields.language) ? [] : [{ value: fields.language, label: fields.language }]),
              ]}
            />
          </Form.Item>
          {item.type === 'live' && (
            <Form.Item label={t('直播地址', 'Live URL')}>
              <Input value={fields.liveUrl ?? ''} maxLength={2000} onChange={(e) => onChange({ liveUrl: e.target.value || null })} />
            </Form.Item>
          )}
          <Form.Item label={t('禁发至（此前不得发布）', 'Embargo until')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={fields.embargoUntil ? dayjs(fields.embargoUntil) : null}
              onChange={(d) => onChange({ embargoUntil: d ? d.toISOString() : null })}
            />
          </Form.Item>
          <Form.Item label={t('AI 辅助生成', 'AI-assisted')} tooltip={t('使用了 AI 生成或改写的内容须标注', 'Mark content generated or rewritten with AI')}>
            <Switch checked={fields.aiAssisted} onChange={(aiAssisted) => onChange({ aiAssisted })} data-testid="ai-switch" />
          </Form.Item>
        </Form>
      </Card>

      <Card size="small" title={t('共享范围（联合体内）', 'Sharing in the alliance')} data-testid="share-panel">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select<ShareScope>
            data-testid="share-scope"
            style={{ width: '100%' }}
            value={chosenScope}
            disabled={!item.canShare}
            onChange={(scope) => {
              setChosenScope(scope);
              if (scope !== 'units') onShare(scope, []);
            }}
            options={shareScopes.map((s) => ({ value: s, label: pick(i18n, scopeLabels[s]) }))}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="share-help">
            {[pick(i18n, scopeHelp[chosenScope]), pick(i18n, scopeReadersNote)].join(t('', ' '))}
          </Typography.Text>
          {chosenScope === 'units' && (
            <>
              <TreeSelect
                multiple
                treeCheckable
                showSearch
                treeNodeFilterProp="title"
                disabled={!item.canShare}
                style={{ width: '100%' }}
                treeData={shareUnits}
                value={chosenUnits}
                onChange={(ids: string[]) => setChosenUnits(ids)}
                placeholder={t('选择单位', 'Choose units')}
                maxTagCount={3}
              />
              {item.canShare && (
                <Button size="small" type="primary" disabled={chosenUnits.length === 0} onClick={() => onShare('units', chosenUnits)}>
                  {t('应用', 'Apply')}
                </Button>
              )}
            </>
          )}
          {!item.canShare && <Typography.Text type="secondary">{t('编辑以上角色可设置共享', 'Editors and above set the sharing')}</Typography.Text>}
          {item.adoptions.length > 0 && (
            <Typography.Text type="secondary">
              {t(`已被 ${item.adoptions.length} 家单位采用：`, `Adopted by ${item.adoptions.length}: `)}
              {item.adoptions.map((p) => p.unitName).join('、')}
            </Typography.Text>
          )}
        </Space>
      </Card>

      <Card
        size="small"
        title={
          <Space>
            <BulbOutlined />
            {t('智能理解', 'Understanding')}
          </Space>
        }
        extra={<Button size="small" type="text" icon={<ReloadOutlined />} onClick={onRefreshUnderstanding} aria-label={t('刷新', 'Refresh')} />}
        data-testid="understanding"
      >
        {!understanding ? (
          <Typography.Text type="secondary">{t('保存后由后台分析关键词、实体、摘要与分类', 'Keywords, entities, summary and category appear after a save')}</Typography.Text>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size={8}>
            {understanding.category && (
              <div>
                <Typography.Text type="secondary">{t('建议分类：', 'Suggested category: ')}</Typography.Text>
                <Tag color="blue">{understanding.category.label}</Tag>
                {understanding.category.probability !== null && <Typography.Text type="secondary">{Math.round(understanding.category.probability * 100)}%</Typography.Text>}
                {editable && fields.category !== understanding.category.label && (
                  <Button size="small" type="link" onClick={() => onChange({ category: understanding.category!.label })}>
                    {t('采用', 'Accept')}
                  </Button>
                )}
              </div>
            )}
            {understanding.keywords.length > 0 && (
              <div>
                <Typography.Text type="secondary">{t('关键词（点击加为标签）：', 'Keywords (click to add as a tag): ')}</Typography.Text>
                <div>
                  {understanding.keywords.map((k) => (
                    <Tag
                      key={k}
                      color={fields.tags.includes(k) ? 'green' : undefined}
                      style={{ cursor: editable ? 'pointer' : 'default', marginBottom: 4 }}
                      onClick={() => editable && addTag(k)}
                      closable={editable}
                      onClose={(e) => {
                        e.preventDefault();
                        onCorrectUnderstanding({ keywords: understanding.keywords.filter((x) => x !== k) });
                      }}
                    >
                      {k}
                    </Tag>
                  ))}
                </div>
                {editable && understanding.keywords.some((k) => !fields.tags.includes(k)) && (
                  <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onChange({ tags: [...new Set([...fields.tags, ...understanding.keywords])].slice(0, 30) })}>
                    {t('全部加为标签', 'Add all as tags')}
                  </Button>
                )}
              </div>
            )}
            {(understanding.places.length > 0 || understanding.people.length > 0 || understanding.organisations.length > 0) && (
              <div>
                <Typography.Text type="secondary">{t('实体：', 'Entities: ')}</Typography.Text>
                {understanding.places.map((x) => (
                  <Tag key={`p:${x}`} color="cyan">
                    {x}
                  </Tag>
                ))}
                {understanding.people.map((x) => (
                  <Tag key={`r:${x}`} color="magenta">
                    {x}
                  </Tag>
                ))}
                {understanding.organisations.map((x) => (
                  <Tag key={`o:${x}`} color="purple">
                    {x}
                  </Tag>
                ))}
              </div>
            )}
            {understanding.summary && (
              <div>
                <Typography.Text type="secondary">{t('自动摘要：', 'Automatic summary: ')}</Typography.Text>
                <Typography.Paragraph style={{ margin: 0 }}>{understanding.summary}</Typography.Paragraph>
                {editable && fields.summary !== understanding.summary && (
                  <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onChange({ summary: understanding.summary!.slice(0, 1000) })}>
                    {t('采用为摘要', 'Use as summary')}
                  </Button>
                )}
              </div>
            )}
            {duplicates.length > 0 && (
              <div data-testid="duplicates">
                <Typography.Text type="secondary">{t('相似稿件：', 'Near-duplicates: ')}</Typography.Text>
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {duplicates.slice(0, 5).map((d) => (
                    <li key={d.id}>
                      <Typography.Link onClick={() => navigate(`${d.unitId === item.unitId ? '/hub' : '/shared'}/${d.id}`)}>{d.title}</Typography.Link>
                      <Typography.Text type="secondary"> · {d.unitName}</Typography.Text>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </Space>
        )}
      </Card>

      {/* For the unit's technician, not the reporter: ids, the export other systems read, the similarity fingerprint. */}
      <Collapse
        size="small"
        items={[
          {
            key: 'technical',
            label: t('技术信息', 'Technical'),
            children: (
              <Space direction="vertical" size={4}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: item.id }}>
                  {t('稿件编号', 'Item id')} {item.id}
                </Typography.Text>
                {understanding?.simhash && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('相似度指纹（SimHash）', 'Similarity fingerprint (SimHash)')} {understanding.simhash}
                  </Typography.Text>
                )}
                <Button size="small" icon={<DownloadOutlined />} href={`/api/items/${item.id}/ninjs`} target="_blank">
                  {t('导出 NINJS（供外部系统对接）', 'Export NINJS (for other systems)')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
