import { Space, Tag } from 'antd';

export interface Bucket {
  /** What a bar stands for (a minute, an hour), shown in its tooltip. */
  label: string;
  success: number;
  rejected: number;
  failed: number;
}

/** Dark shades: white legend text on them passes WCAG AA. */
export const OUTCOME_COLOURS = { success: '#135200', rejected: '#874d00', failed: '#a8071a' } as const;
const OUTCOMES = ['success', 'rejected', 'failed'] as const;

/**
 * A stacked bar per bucket, drawn as plain SVG: a chart library would add more to the bundle than
 * the console's screens together, for bars. The figure is one image with a summary for screen
 * readers; each bar has a tooltip with its counts.
 */
export function StackedBars({ buckets, summary, legend, height = 120 }: { buckets: Bucket[]; summary: string; legend: Record<(typeof OUTCOMES)[number], string>; height?: number }) {
  const max = Math.max(1, ...buckets.map((b) => b.success + b.rejected + b.failed));
  const width = 8;
  const gap = 2;
  return (
    <div>
      <svg role="img" aria-label={summary} width="100%" height={height} viewBox={`0 0 ${buckets.length * (width + gap)} ${height}`} preserveAspectRatio="none" style={{ background: '#fafafa', display: 'block' }}>
        {buckets.map((b, i) => {
          let y = height;
          return (
            <g key={b.label}>
              <title>{`${b.label}: ${OUTCOMES.map((o) => `${legend[o]} ${b[o]}`).join(', ')}`}</title>
              {OUTCOMES.map((o) => {
                const h = (b[o] / max) * (height - 4);
                y -= h;
                return h > 0 ? <rect key={o} x={i * (width + gap)} y={y} width={width} height={h} fill={OUTCOME_COLOURS[o]} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      <Space size={4} style={{ marginTop: 8 }}>
        {OUTCOMES.map((o) => <Tag key={o} color={OUTCOME_COLOURS[o]}>{legend[o]}</Tag>)}
      </Space>
    </div>
  );
}
