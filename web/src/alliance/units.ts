import type { TreeSelectProps } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import type { Unit, UnitKind } from '../shared/types.ts';

/** The alliance tree from GET /api/units: province → founders and cities → county centres. */

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

const kindOrder: Record<UnitKind, number> = { province: 0, founder: 1, city: 2, county: 3, zone: 4, department: 5 };

function compareUnits(a: Unit, b: Unit): number {
  return (
    kindOrder[a.kind] - kindOrder[b.kind] ||
    // units without a division code (zones, additions) after the coded ones
    (a.divisionCode ?? '\uffff').localeCompare(b.divisionCode ?? '\uffff') ||
    a.name.localeCompare(b.name, 'zh-CN')
  );
}

export function buildTree(units: Unit[]): UnitNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => compareUnits(a.unit, b.unit));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** True when `unitId` is `ancestorId` or sits anywhere below it. */
export function isWithin(units: Map<string, Unit>, unitId: string, ancestorId: string): boolean {
  for (let u = units.get(unitId); u; u = u.parentId ? units.get(u.parentId) : undefined) {
    if (u.id === ancestorId) return true;
  }
  return false;
}

export type UnitTreeSelectData = NonNullable<TreeSelectProps['treeData']>;

/** Tree data for an antd TreeSelect; `enabled` decides which units may be picked. */
export function unitTreeSelectData(tree: UnitNode[], enabled: (u: Unit) => boolean = () => true): UnitTreeSelectData {
  return tree.map((n) => ({
    value: n.unit.id,
    title: n.unit.name,
    disabled: !enabled(n.unit),
    children: unitTreeSelectData(n.children, enabled),
  }));
}

export function useUnits(includeInactive = false) {
  const [units, setUnits] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const res = await api.get<{ items: Unit[]; total: number }>('/api/units', includeInactive ? { includeInactive: true } : undefined);
      setUnits(res.items);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [includeInactive]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { units, loading, error, reload };
}
