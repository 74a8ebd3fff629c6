// ECharts (chart-engine.ts, a chunk loaded by the first chart). The chart is a picture of the table next to it: screen
// readers get the label, and the same figures in the table.
import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

let engine: Promise<typeof import('./chart-engine.ts')> | null = null;

export function Chart({ option, label, height = 320, testId }: { option: EChartsCoreOption; label: string; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let stop = false;
    let dispose = () => undefined as void;
    engine ??= import('./chart-engine.ts');
    engine.then(({ init }) => {
      if (stop || !ref.current) return;
      const chart = init(ref.current, undefined, { renderer: 'canvas', locale: 'EN' });
      chart.setOption(dutchNumbers(option));
      const resize = () => chart.resize();
      addEventListener('resize', resize);
      dispose = () => {
        removeEventListener('resize', resize);
        chart.dispose();
      };
    });
    return () => {
      stop = true;
      dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} className="rk-chart" style={{ height }} data-testid={testId} />;
}

const nl = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('nl-NL') : String(v));

/**
 * Dutch numbers in every chart (issue 18: an axis showed "1,200"): a value axis without its own label formatter gets
 * "1.200", a tooltip without its own value formatter "1.862" and "0,5". ECharts itself formats with English commas.
 */
export function dutchNumbers(option: EChartsCoreOption): EChartsCoreOption {
  const axes = (a: unknown, defaultType: string) => {
    if (!a) return a;
    const fix = (x: any) => ((x.type ?? defaultType) === 'value' && !x.axisLabel?.formatter ? { ...x, axisLabel: { ...x.axisLabel, formatter: nl } } : x);
    return Array.isArray(a) ? a.map(fix) : fix(a);
  };
  const o = option as any;
  const tooltip =
    o.tooltip && !Array.isArray(o.tooltip) && !o.tooltip.valueFormatter && !o.tooltip.formatter ? { ...o.tooltip, valueFormatter: nl } : o.tooltip;
  return { ...o, xAxis: axes(o.xAxis, 'category'), yAxis: axes(o.yAxis, 'value'), tooltip };
}

/** Palette with enough contrast on white; in the order of the segments. */
export const PALETTE = ['#1b4f9c', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#5f3dc4', '#e67700', '#495057'];
