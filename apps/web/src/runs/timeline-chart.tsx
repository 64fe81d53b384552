import type { CellSpan } from '@glaze/core';
import { timelineLayout } from './timeline-layout';

const width = 520;
const axis = 22;
// room for the first and last tick labels, centred on the chart's edges
const margin = 14;

/** A Gantt chart of a run's sampled cells: one bar per cell from its first call to its result. */
export function TimelineChart({ spans }: { spans: readonly CellSpan[] }) {
  if (spans.length === 0) return <p className="muted">No cell has been called yet.</p>;
  const layout = timelineLayout(spans, width);
  const height = layout.height + axis;
  return (
    <svg
      className="timeline-chart"
      viewBox={`0 0 ${width + 2 * margin} ${height}`}
      width="100%"
      role="img"
      aria-label={`${spans.length} cells over time`}
    >
      <g transform={`translate(${margin} 0)`}>
        {layout.ticks.map((tick) => (
          <g key={tick.label}>
            <line className="tick" x1={tick.x} x2={tick.x} y1={0} y2={layout.height} />
            <text className="tick-label" x={tick.x} y={layout.height + 15}>
              {tick.label}
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => (
          <rect
            key={bar.rowId}
            className={`bar ${bar.status}`}
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={Math.max(1, layout.laneHeight - (layout.laneHeight > 3 ? 1 : 0))}
          >
            <title>{`row ${bar.rowId}: ${bar.status}, ${bar.tries} ${bar.tries === 1 ? 'try' : 'tries'}`}</title>
          </rect>
        ))}
      </g>
    </svg>
  );
}
