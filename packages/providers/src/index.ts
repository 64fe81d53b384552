export { checkEmail, type EmailCheck, emailProvider } from './email';
export {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
  evaluateExpression,
} from './expression/compile-expression';
export { renameExpressionColumns } from './expression/rename-columns';
export { extractProvider } from './extract';
export { formulaProvider } from './formula';
export { createHttpProvider, type HttpConfig, httpProvider } from './http';
export { createLlmProvider, type LlmConfig, llmProvider } from './llm';
export { mockProvider } from './mock';
export { type NameParts, nameProvider, splitName } from './name';
export { type AllowList, parseAllowList } from './net/allow-list';
export { assertUrlAllowed, BlockedUrlError, type GuardOptions, type LookupAll } from './net/guard';
export { type GuardedFetchOptions, guardedFetch } from './net/guarded-fetch';
export { checkPhone, type PhoneCheck, phoneProvider, vanityToDigits } from './phone';
export { builtinProviders, createProviderRegistry, type ProviderRegistryOptions } from './registry';
export {
  decryptSecret,
  encryptSecret,
  type LoadKeyOptions,
  loadOrCreateKey,
  parseSecretKey,
} from './secrets/crypto';
export { redact, redactJson } from './secrets/redact';
export { createRedactor, type Redactor, redactorFor } from './secrets/redactor';
export {
  findMisplacedSecrets,
  findSecretRefs,
  type MisplacedSecret,
  misplacedSecretMessage,
  type SecretRef,
} from './secrets/secret-fields';
export { inputsAreBlank } from './support/inputs-blank';
export { acceptedSchemes, checkUrl, type UrlCheck, urlProvider } from './url';
export { createWaterfallProvider, type ProviderLookup } from './waterfall';
