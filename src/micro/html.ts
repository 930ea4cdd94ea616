// A micro run's report.html: ns/op of every operation as bars with their 95% error bars, a chart per
// suite (each on its own scale), above the same sections as its report.md.
import { chartBox, htmlPage, htmlSection, htmlText } from '../report/html-page.ts';
import { microHeaderLines, microSections } from './report.ts';
import type { ChartSpec, MicroDocument } from '../model/index.ts';

/** One chart per suite: a bar per operation, its error bar tinybench's 95% margin of error of the mean. */
export function microCharts(doc: MicroDocument): ChartSpec[] {
  const suites = [...new Set(doc.results.map((r) => r.suite))];
  return suites.map((suite, i) => {
    const results = doc.results.filter((r) => r.suite === suite);
    return {
      id: `suite-${i + 1}`,
      title: suite,
      xLabel: 'operation',
      yLabel: 'ns per operation (bar: mean; whisker: 95% interval)',
      xLog: false,
      xCategories: results.map((r) => r.name),
      horizontal: true,
      x: results.map((_, j) => j),
      series: [
        {
          label: 'ns/op',
          values: results.map((r) => r.nsPerOp),
          low: results.map((r) => r.nsPerOp * (1 - r.rmePercent / 100)),
          high: results.map((r) => r.nsPerOp * (1 + r.rmePercent / 100)),
          style: 'bars' as const,
        },
      ],
    };
  });
}

export function microHtmlReport(doc: MicroDocument): string {
  const charts = microCharts(doc);
  const [operations, ...rest] = microSections(doc);
  const body = [
    htmlText(doc.scenario.description),
    htmlSection(operations, charts.map((c) => chartBox(charts, c.id)).join('\n')),
    ...rest.map((s) => htmlSection(s)),
    htmlSection({ id: 'environment', title: 'Environment', blocks: [{ kind: 'list', items: microHeaderLines(doc) }] }),
  ];
  return htmlPage(`tracetax: ${doc.scenario.name}`, body.join('\n'), charts);
}
