import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface Bar {
  name: string;
  value: number;
}

/** A horizontal bar chart, biggest first (top), e.g. county-level centres per city. */
export function UnitChart({ bars, seriesName, height = 520 }: { bars: Bar[]; seriesName: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

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
    const sorted = [...bars].sort((a, b) => b.value - a.value);
    const option: Option = {
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
    chart.current?.setOption(option, true);
  }, [bars, seriesName]);

  return <div ref={el} style={{ width: '100%', height }} />;
}
