export { formatTable } from './format-table';
export { type BenchLine, type BenchOptions, runBench } from './run-bench';
