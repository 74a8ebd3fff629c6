// ECharts, tree-shaken to what we use, in a chunk of its own (about half of the app's code): loaded by the first
// page that draws a chart, so the pages without one do not parse it on every visit (issue 18 §4).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, SankeyChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export const init = echarts.init;
