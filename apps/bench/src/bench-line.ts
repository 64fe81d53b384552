/** One line of the benchmark's output: a scenario and its figures by name. */
export type BenchLine = { scenario: string } & Record<string, number | string>;
