import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useUnits } from '../alliance/units.ts';
import { useI18n } from '../shared/i18n.ts';
import type { Unit } from '../shared/types.ts';

interface RegionNode {
  value: string;
  title: string;
  /** What the chosen tag says: a county with its prefecture, since names repeat (市中区 is in 乐山 and 内江). */
  label: string;
  children?: RegionNode[];
}

/** The alliance's prefectures with their counties, by division code (zones and founders have none: they are not regions). */
export function regionTree(units: Unit[], wholeCity: (name: string) => string): RegionNode[] {
  const byCode = (a: Unit, b: Unit) => (a.divisionCode ?? '').localeCompare(b.divisionCode ?? '');
  const coded = units.filter((u) => u.divisionCode && u.divisionName);
  return coded
    .filter((u) => u.kind === 'city')
    .sort(byCode)
    .map((city) => ({
      value: city.divisionCode!,
      title: city.divisionName!,
      label: wholeCity(city.divisionName!),
      children: coded
        .filter((u) => u.kind === 'county' && u.parentId === city.id)
        .sort(byCode)
        .map((county) => ({ value: county.divisionCode!, title: county.divisionName!, label: `${city.divisionName}${county.divisionName}` })),
    }));
}

/**
 * 地区: picked by name from the division tree, kept as division codes (what a segment stores). A prefecture
 * stands for all its counties; typing a name or a code finds it.
 */
export function RegionPicker({ id, value, onChange }: { id?: string; value?: string[]; onChange?: (codes: string[]) => void }) {
  const { t } = useI18n();
  const { units, loading } = useUnits();
  const treeData = useMemo(() => regionTree(units, (name) => t(`${name}（全市）`, `${name} (whole prefecture)`)), [units, t]);
  return (
    <TreeSelect<string[]>
      id={id}
      multiple
      showSearch={{ filterTreeNode: (input, node) => String(node.title ?? '').includes(input.trim()) || String(node.value ?? '').startsWith(input.trim()) }}
      allowClear
      loading={loading}
      value={value}
      onChange={(codes) => onChange?.(codes)}
      treeData={treeData}
      treeNodeLabelProp="label"
      placeholder={t('不限地区；输入市州或区县名称搜索，如 大邑县', 'Any region; type a prefecture or county name')}
      notFoundContent={t('没有这个市州或区县', 'No such prefecture or county')}
      listHeight={320}
      style={{ width: '100%' }}
    />
  );
}
