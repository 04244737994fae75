import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface UnitActivity {
  name: string;
  publishedToday: number;
  inReview: number;
}

/** Today's activity per child unit as paired horizontal bars, the busiest unit on top. */
export function WorkbenchChart({ units, labels }: { units: UnitActivity[]; labels: { published: string; inReview: string } }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const height = Math.max(160, units.length * 26 + 48);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current);
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const sorted = [...units].sort((a, b) => b.publishedToday + b.inReview - (a.publishedToday + a.inReview));
    const option: Option = {
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
    chart.current?.setOption(option, true);
    chart.current?.resize();
  }, [units, labels.published, labels.inReview]);

  return <div ref={el} data-testid="wb-chart" style={{ width: '100%', height }} />;
}
