export type { BenchLine } from './bench-line';
export { formatTable } from './format-table';
export { type BenchOptions, runBench } from './run-bench';
