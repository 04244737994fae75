import { useMemo } from 'react';
import { useBarChart, type BarOption } from '../shared/useBarChart.ts';

export interface UnitActivity {
  name: string;
  publishedToday: number;
  inReview: number;
}

/** Today's activity per child unit as paired horizontal bars, the busiest unit on top. */
export function WorkbenchChart({ units, labels }: { units: UnitActivity[]; labels: { published: string; inReview: string } }) {
  const height = Math.max(160, units.length * 26 + 48);
  const option = useMemo((): BarOption => {
    const sorted = [...units].sort((a, b) => b.publishedToday + b.inReview - (a.publishedToday + a.inReview));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: sorted.map((u) => u.name), axisLabel: { interval: 0 } },
      series: [
        { name: labels.published, type: 'bar', data: sorted.map((u) => u.publishedToday), itemStyle: { color: '#c41d2f' }, barMaxWidth: 12 },
        { name: labels.inReview, type: 'bar', data: sorted.map((u) => u.inReview), itemStyle: { color: '#faad14' }, barMaxWidth: 12 },
      ],
    };
  }, [units, labels.published, labels.inReview]);
  const el = useBarChart(option);

  return <div ref={el} data-testid="wb-chart" style={{ width: '100%', height }} />;
}
