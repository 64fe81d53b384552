import { highlightJson } from './highlight-json';

/** A JSON value, pretty-printed and coloured by token (`.json .key`, `.json .string`, …). */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="json" data-testid={testId}>
      {highlightJson(value).map((token, i) =>
        token.kind === 'space' || token.kind === 'punct' ? (
          token.text
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens have no identity but their place
          <span key={i} className={token.kind}>
            {token.text}
          </span>
        ),
      )}
    </pre>
  );
}
