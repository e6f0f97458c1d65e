export { type AttentionMapOptions, attentionMap } from './attention-map';
export { SERIES_COLORS, viridis } from './colors';
export { type GatesChartOptions, type GateValues, gatesChart, mostVarying } from './gates-chart';
export { type GradientChartOptions, type GradientCurve, gradientChart } from './gradient-chart';
export { type HeatMapOptions, heatMap } from './heat-map';
export { type LineChartOptions, lineChart, type Series } from './line-chart';
export { type LossChartOptions, type LossHistory, lossChart } from './loss-chart';
export { esc, shownToken } from './svg';
export { formatLog, linearTicks, logTicks, niceNumber, type Ticks } from './ticks';
