import { useMemo } from 'react';
import { useBarChart, type BarOption } from '../shared/useBarChart.ts';

export interface Bar {
  name: string;
  value: number;
}

/** A horizontal bar chart, biggest first (top), e.g. county-level centres per city. */
export function UnitChart({ bars, seriesName, height = 520 }: { bars: Bar[]; seriesName: string; height?: number }) {
  const option = useMemo((): BarOption => {
    const sorted = [...bars].sort((a, b) => b.value - a.value);
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: sorted.map((b) => b.name), axisLabel: { interval: 0 } },
      series: [
        {
          name: seriesName,
          type: 'bar',
          data: sorted.map((b) => b.value),
          itemStyle: { color: '#c41d2f' },
          label: { show: true, position: 'right' },
          barMaxWidth: 18,
        },
      ],
    };
  }, [bars, seriesName]);
  const el = useBarChart(option);

  return <div ref={el} style={{ width: '100%', height }} />;
}
