// Run by lazy-provider-data.test.ts in a fresh process: which provider data a process holds after
// importing @glaze/providers, and after each provider's first use.
import { createRequire } from 'node:module';
import { checkEmail, checkPhone, checkUrl } from '@glaze/providers';

const require = createRequire(import.meta.url);
const loaded = () => ({
  phoneMetadata: Object.keys(require.cache).some((path) => path.includes('libphonenumber-js')),
  publicSuffixList: Object.keys(require.cache).some((path) => path.includes('tldts')),
});

const atImport = loaded();
const phone = checkPhone('(201) 555-0123', 'US');
const afterPhone = loaded();
const url = checkUrl('Example.co.uk/');
const email = checkEmail('ada@example.com');
console.log(JSON.stringify({ atImport, phone, afterPhone, url, email, atEnd: loaded() }));
