export { type CompiledQuery, compileQuery, escapeLike } from './compile-query';
export { countMatches, exactCountMs, type MatchCount } from './count-matches';
export { countRows } from './count-rows';
export type { IndexWant } from './index-wants';
export { anchorEvery, jumpStart } from './jump-anchors';
export { matchingRowIds } from './matching-row-ids';
export { pageStatement } from './page-statement';
export { type QueryPage, queryRows } from './query-rows';
export {
  type IndexRequest,
  indexBuildsSettled,
  indexName,
  requestQueryIndexes,
} from './request-query-indexes';
export { type QueryColumn, type ResolvedColumn, resolveColumn } from './resolve-column';
