// Same placeholder grammar as @glaze/core's templates.
const placeholder = /\{\{\s*[^{}]+?\s*\}\}/g;

/**
 * Renders a URL template, URL-encoding each value so `?q={{Company}}` with "AT&T" stays one
 * parameter. A placeholder at the very start supplies the origin (`{{Website}}/about`) and is
 * inserted as is.
 * @example renderUrl('https://api.x/v1?q={{Company}}', render) // 'https://api.x/v1?q=AT%26T'
 */
export function renderUrl(template: string, render: (template: string) => string): string {
  return template.replace(placeholder, (match, offset: number) => {
    const value = render(match);
    return offset === 0 ? value : encodeURIComponent(value);
  });
}
