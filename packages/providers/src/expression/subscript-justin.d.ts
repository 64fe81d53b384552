// subscript ships types for its main entry only; the justin preset exports the same parse/compile.
declare module 'subscript/justin' {
  export { type AST, compile, type Evaluator, parse } from 'subscript';
}
