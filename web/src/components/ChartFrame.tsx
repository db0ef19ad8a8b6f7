// A chart with its data as a table: the canvas (Chart.js) for those who look, and the same
// figures in a table for screen readers, keyboards and anyone who wants the numbers. Chart.js
// registers only the parts these charts use, to keep the bundle small.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ReactNode } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/// Distinct colours that stay apart for the common kinds of colour blindness (Okabe-Ito).
export const kPalette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

export function ChartFrame({ id, title, summary, chart, table, testId, total }: {
  id: string; title: string; summary: string; chart: ReactNode; table: ReactNode; testId: string; total: number;
}) {
  return (
    <section className="card wide chart" aria-labelledby={`${id}-title`} data-testid={testId} data-total={total}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted small" id={`${id}-summary`}>{summary}</p>
      <div className="chart-canvas" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
        {chart}
      </div>
      <details>
        <summary>The figures as a table</summary>
        {table}
      </details>
    </section>
  );
}
