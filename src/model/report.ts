// A report's content before it is printed: sections of tables, paragraphs and lists. report.md and
// report.html render the same sections, so they hold the same numbers and words. Text may hold `code`.

export type ReportBlock =
  | {
      readonly kind: 'table';
      readonly headers: readonly string[];
      readonly rows: readonly (readonly string[])[];
      /** Rows shown in bold: the baseline. */
      readonly strongRows?: readonly number[];
    }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'heading'; readonly text: string };

export interface ReportSection {
  /** Stable, for anchors and for placing charts. */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly ReportBlock[];
}
