// What report.html draws: plain numbers per chart, turned into uPlot charts by src/report/charts.browser.js.

export interface ChartSeries {
  readonly label: string;
  /** One value per x (null: nothing measured there). */
  readonly values: readonly (number | null)[];
  /** The 95% interval around each value, drawn as a whisker. */
  readonly low?: readonly (number | null)[];
  readonly high?: readonly (number | null)[];
  /** The label of the series whose colour this one takes (a fit takes its measured points'). */
  readonly colorOf?: string;
  /** Points (measured), a line (fitted, or a distribution; with points on categories), or bars. */
  readonly style: 'points' | 'line' | 'bars';
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** How to read it, under the chart. */
  readonly note?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog: boolean;
  /** The x values are 1/(1−p) of percentiles p: the axis names them as percentiles. */
  readonly xPercentile?: boolean;
  /** Named categories at x = 0, 1, …: the axis shows the names. */
  readonly xCategories?: readonly string[];
  /** Categories down the side and values across (long names, bars). */
  readonly horizontal?: boolean;
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
}
