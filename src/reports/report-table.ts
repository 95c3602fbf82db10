// One table of the report as plain rows of strings, shared by the text and HTML renderings: one row
// per figure, one column per period.
export const PERIOD_COLUMNS = ['this period', 'previous period', 'same period last month', 'same period last year'];

export interface ReportTable {
  title: string;
  rows: { figure: string; values: string[] }[];
}

/** A share as a cell: `80.0 %`, or – where nothing was there to count. */
export const percentCell = (p: number | null) => (p === null ? '–' : `${p.toFixed(1)} %`);
