import { Descriptions, Empty, Typography } from 'antd';
import { fieldLabels, pick } from '../model.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { BodyDiff, ItemDiff } from '../../shared/types.ts';

const ins = (text: string, key?: number) => (
  <ins key={key} className="tf-diff-insert">
    {text}
  </ins>
);
const del = (text: string, key?: number) => (
  <del key={key} className="tf-diff-delete">
    {text}
  </del>
);

function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x ? Object.values(x as Record<string, unknown>).join(' ') : String(x))).join('、') || '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  return String(v);
}

/** One body line: equal text plain, inserted green, deleted red struck through, changed with the character-level parts. */
function BodyLine({ d }: { d: BodyDiff }) {
  const style = { margin: '0 0 6px', whiteSpace: 'pre-wrap' as const, lineHeight: 1.8 };
  switch (d.op) {
    case 'equal':
      return <p style={{ ...style, color: '#666' }}>{d.before ?? d.after}</p>;
    case 'insert':
      return <p style={style}>{ins(d.after ?? '')}</p>;
    case 'delete':
      return <p style={style}>{del(d.before ?? '')}</p>;
    case 'change':
      return (
        <p style={style} data-op="change">
          {d.parts
            ? d.parts.map((p, i) => (p.op === 'insert' ? ins(p.text, i) : p.op === 'delete' ? del(p.text, i) : <span key={i}>{p.text}</span>))
            : [del(d.before ?? '', 0), ins(d.after ?? '', 1)]}
        </p>
      );
  }
}

/** A readable diff of two revisions: changed fields, then the body sentence by sentence. */
export function DiffView({ diff, body }: { diff?: ItemDiff; body?: BodyDiff[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const lines = body ?? diff?.body ?? [];
  const changed = lines.some((l) => l.op !== 'equal');
  return (
    <div data-testid="diff-view">
      {diff && diff.fields.length > 0 && (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
          {diff.fields.map((f) => (
            <Descriptions.Item key={f.field} label={fieldLabels[f.field] ? pick(i18n, fieldLabels[f.field]!) : f.field}>
              {del(showValue(f.before))} → {ins(showValue(f.after))}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {diff && (
        <Typography.Text type="secondary">
          {t(`正文：新增 ${diff.stats.insertedChars} 字，删除 ${diff.stats.deletedChars} 字`, `Body: ${diff.stats.insertedChars} characters added, ${diff.stats.deletedChars} removed`)}
        </Typography.Text>
      )}
      <div style={{ marginTop: 8 }}>{changed ? lines.map((d, i) => <BodyLine key={i} d={d} />) : <Empty description={t('正文没有变化', 'The body did not change')} />}</div>
    </div>
  );
}
