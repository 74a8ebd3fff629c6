// ECharts, tree-shaken to what we use. The chart is a picture of the table next to it: screen readers get
// the label, and the same figures in the table.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, SankeyChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function Chart({ option, label, height = 320, testId }: { option: EChartsCoreOption; label: string; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!, undefined, { renderer: 'canvas', locale: 'EN' });
    chart.setOption(option);
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => { removeEventListener('resize', resize); chart.dispose(); };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} className="rk-chart" style={{ height }} data-testid={testId} />;
}

/** Palette with enough contrast on white; in the order of the segments. */
export const PALETTE = ['#1b4f9c', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#5f3dc4', '#e67700', '#495057'];
