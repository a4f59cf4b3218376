// Chart.js, with only the parts the dashboard draws registered (so the bundle carries no more). Charts draw on a
// canvas: labels and tooltips are painted as pixels, never parsed as markup.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, DoughnutController, ArcElement);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#3d4451';
Chart.defaults.animation = false;

export const palette = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#64748b'];

const live = new Set<{ destroy(): void }>();

/** Destroys every chart of the view being left. */
export function destroyCharts(): void {
  for (const c of live) {
    c.destroy();
  }
  live.clear();
}

export interface Series {
  label: string;
  data: number[];
}

/** Stacked bars over time; `whole` for counts, so the axis never shows a fraction of a request. */
export function stackedBars(canvas: HTMLCanvasElement, labels: string[], series: Series[], format: (n: number) => string, whole = false): { destroy(): void } {
  const datasets: ChartDataset<'bar', number[]>[] = series.map((s, i) => ({
    label: s.label,
    data: s.data,
    backgroundColor: palette[i % palette.length],
    borderWidth: 0,
    stack: 'all',
  }));
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: whole ? 0 : undefined, callback: (v) => format(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(Number(ctx.raw))}` } },
      },
    },
  });
  live.add(chart);
  return chart;
}

export function doughnut(canvas: HTMLCanvasElement, labels: string[], data: number[], format: (n: number) => string): { destroy(): void } {
  const chart = new Chart<'doughnut', number[], string>(canvas, {
    type: 'doughnut',
    data: { labels, datasets: [{ data, backgroundColor: palette.slice(0, data.length), borderWidth: 1 }] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'right', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${format(Number(ctx.raw))}` } },
      },
    },
  });
  live.add(chart);
  return chart;
}
