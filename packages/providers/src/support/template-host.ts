/**
 * The host of a URL template when it does not depend on the row: `https://api.example.com/v1?q={{Name}}`
 * gives `api.example.com` (with its port, lower case); `{{Website}}/about` or `https://{{Domain}}/x`
 * give undefined.
 */
export function templateHost(template: string): string | undefined {
  const match = /^\s*(https?):\/\/([^/?#{}\s]+)(?=[/?#]|\s*$)/i.exec(template);
  if (!match) return undefined;
  const authority = match[2] as string;
  // user:password@host is not a host to key limits by (and never what an API's URL needs)
  if (authority.includes('@')) return undefined;
  try {
    // the URL's own scheme, so a default port (https://x:443) is dropped as calls will drop it
    return new URL(`${match[1]}://${authority}`).host || undefined;
  } catch {
    return undefined;
  }
}
