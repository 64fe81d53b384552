export { checkEmail, type EmailCheck, emailProvider } from './email';
export { mockProvider } from './mock';
export { type NameParts, nameProvider, splitName } from './name';
export { checkPhone, type PhoneCheck, phoneProvider } from './phone';
export { builtinProviders } from './registry';
export { checkUrl, type UrlCheck, urlProvider } from './url';
