// Runs in report.html, not in Node: draws each chart of the page's data block (ChartSpec in
// src/model/chart.ts) with uPlot, and lists what uPlot drew in window.tracetaxCharts for the browser test.
(() => {
  const { baseline, names, charts } = JSON.parse(document.getElementById('chart-data').textContent);
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  window.tracetaxCharts = [];

  // Each value's 95% interval as a whisker at its own x: a band between points would draw an interval
  // where nothing was measured. A horizontal chart has its x scale down the side, so the strokes swap.
  function whiskers(intervals, horizontal) {
    return (u) => {
      const ctx = u.ctx;
      const cap = 4 * devicePixelRatio;
      const stroke = (at1, value1, at2, value2) => {
        if (horizontal) {
          ctx.moveTo(value1, at1);
          ctx.lineTo(value2, at2);
        } else {
          ctx.moveTo(at1, value1);
          ctx.lineTo(at2, value2);
        }
      };
      ctx.save();
      ctx.lineWidth = 1.5 * devicePixelRatio;
      for (const { low, high, color } of intervals) {
        ctx.strokeStyle = color;
        ctx.beginPath();
        u.data[0].forEach((x, i) => {
          if (low[i] == null || high[i] == null) return;
          const at = u.valToPos(x, 'x', true);
          const top = u.valToPos(high[i], 'y', true);
          const bottom = u.valToPos(low[i], 'y', true);
          stroke(at, top, at, bottom);
          stroke(at - cap, top, at + cap, top);
          stroke(at - cap, bottom, at + cap, bottom);
        });
        ctx.stroke();
      }
      ctx.restore();
    };
  }

  const longestSideName = Math.max(0, ...charts.filter((c) => c.horizontal).flatMap((c) => c.xCategories.map((n) => n.length)));
  const integerX = (chart) => !chart.xLog && chart.x.every(Number.isInteger);

  function xAxis(chart) {
    if (chart.xCategories) {
      const categories = chart.xCategories;
      return {
        // Beside a horizontal chart the names speak for themselves; room for the longest name of any such
        // chart on the page (about 7.5 px a character), so their bars start at the same place.
        label: chart.horizontal ? undefined : chart.xLabel,
        side: chart.horizontal ? 3 : 2,
        size: chart.horizontal ? Math.min(560, 16 + 7.5 * longestSideName) : 50,
        splits: () => categories.map((_, i) => i),
        values: (u, splits) => splits.map((v) => categories[v] ?? ''),
        grid: { show: false },
      };
    }
    if (chart.xPercentile) {
      // A percentile axis reads p90, p99, p99.9 rather than 1/(1−p), a tick at every percentile drawn (a
      // log axis would otherwise filter out all but round values).
      return {
        label: chart.xLabel,
        splits: () => chart.x,
        filter: (u, splits) => splits,
        values: (u, splits) => splits.map((v) => (v == null ? '' : 'p' + String(+(100 * (1 - 1 / v)).toPrecision(6)))),
      };
    }
    // Rounds and the like: whole-number ticks only.
    if (integerX(chart)) return { label: chart.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };
    return { label: chart.xLabel };
  }

  for (const chart of charts) {
    const el = document.getElementById('chart-' + chart.id);
    const categorical = Boolean(chart.xCategories);
    const columns = [chart.x];
    const series = [categorical ? { label: chart.xLabel, value: (u, v) => (v == null ? '' : chart.xCategories[v]) } : { label: chart.xLabel }];
    const intervals = [];
    // A variant keeps its colour in every chart (its place among the run's variants); the baseline is
    // black; a series may take another's colour; past the palette's end, the colours come again dashed.
    const place = chart.series.map((s, i) => {
      const label = s.colorOf ?? s.label;
      if (names.includes(label)) return names.indexOf(label);
      const j = chart.series.findIndex((t) => t.label === label);
      return j >= 0 ? j : i;
    });
    chart.series.forEach((s, i) => {
      const color = s.label === baseline ? '#000000' : palette[place[i] % palette.length];
      const dash = place[i] >= palette.length ? [6, 3] : undefined;
      columns.push(s.values);
      if (s.style === 'points') series.push({ label: s.label, stroke: color, width: 0, points: { show: true, size: 8, fill: color } });
      else if (s.style === 'bars') series.push({ label: s.label, stroke: color, fill: color + '66', width: 1, paths: uPlot.paths.bars({ size: [0.6, 48] }), points: { show: false } });
      // A line over whole-number x (categories, rounds) marks each value with a point, where outliers show.
      else series.push({ label: s.label, stroke: color, width: s.label === baseline ? 3 : 2, dash, spanGaps: true, points: { show: integerX(chart) && chart.x.length <= 60, size: 6 } });
      if (s.low && s.high) intervals.push({ low: s.low, high: s.high, color });
    });
    // The value range covers the whiskers too, and 0 for bars.
    const ys = chart.series.flatMap((s) => [...s.values, ...(s.low || []), ...(s.high || [])]).filter((v) => v != null);
    const top = Math.max(...ys);
    const yRange = ys.length ? [Math.min(0, ...ys), top > 0 ? top * 1.05 : 1] : undefined;
    const xScale = categorical
      ? { time: false, range: [-0.5, chart.x.length - 0.5], ori: chart.horizontal ? 1 : 0, dir: chart.horizontal ? -1 : 1 }
      : chart.xLog
        ? // A little room either side of the points, rather than uPlot's whole decades.
          { time: false, distr: 3, range: (u, min, max) => [min / 1.2, max * 1.2] }
        : { time: false };
    const width = Math.min(1060, el.clientWidth || 960);
    const height = chart.horizontal ? 90 + 30 * chart.x.length : 320;
    const u = new uPlot(
      {
        width,
        height,
        series,
        // The legend names the series; values under the cursor would only repeat the tables.
        legend: { live: false, show: chart.series.length > 1 },
        scales: { x: xScale, y: { range: yRange, ori: chart.horizontal ? 0 : 1 } },
        axes: [xAxis(chart), { label: chart.yLabel, side: chart.horizontal ? 2 : 3, space: chart.horizontal ? 70 : 30 }],
        hooks: { draw: [whiskers(intervals, chart.horizontal)] },
      },
      columns,
      el,
    );
    window.tracetaxCharts.push({ id: chart.id, series: u.series.length - 1, points: u.data[0].length });
  }
})();
