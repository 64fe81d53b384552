export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuenow={value} aria-valuemax={max}>
      <div className="progress-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </div>
  );
}
