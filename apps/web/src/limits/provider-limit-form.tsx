import { GlazeError } from '@glaze/client';
import type { RateLimitInfo, SetRateLimitBody } from '@glaze/core';
import { useState } from 'react';
import { errorText } from '../api/client';
import { setProviderLimits } from '../api/provider-limits';
import { formatWhen } from '../ui/format';
import { type LimitField, limitFieldLabels, limitRowKey, parseLimit } from './limit-rows';

const text = (value: number | null) => (value === null ? '' : String(value));

/** One provider's rate and concurrency: edit and save, or clear both. */
export function ProviderLimitForm({
  limit,
  onSaved,
}: {
  limit: RateLimitInfo;
  onSaved(limit: RateLimitInfo): void;
}) {
  const [rate, setRate] = useState(text(limit.requestsPerSecond));
  const [concurrency, setConcurrency] = useState(text(limit.concurrency));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ field?: LimitField; message: string }>();
  const [saved, setSaved] = useState(false);

  const put = async (body: SetRateLimitBody) => {
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      const reply = await setProviderLimits(limit.provider, limit.host, body);
      setRate(text(reply.limit.requestsPerSecond));
      setConcurrency(text(reply.limit.concurrency));
      setSaved(true);
      onSaved(reply.limit);
    } catch (thrown) {
      setError(serverError(thrown));
    } finally {
      setSaving(false);
    }
  };

  const save = () => {
    const parsedRate = parseLimit('requestsPerSecond', rate);
    if ('error' in parsedRate) return setError({ field: 'requestsPerSecond', message: parsedRate.error });
    const parsedConcurrency = parseLimit('concurrency', concurrency);
    if ('error' in parsedConcurrency)
      return setError({ field: 'concurrency', message: parsedConcurrency.error });
    void put({ requestsPerSecond: parsedRate.value, concurrency: parsedConcurrency.value });
  };

  const id = (field: LimitField) => `limit-${limitRowKey(limit).replace(/[^\w-]+/g, '-')}-${field}`;
  const input = (field: LimitField, value: string, set: (v: string) => void, placeholder: string) => (
    <label htmlFor={id(field)} className={error?.field === field ? 'limit-field invalid' : 'limit-field'}>
      <span>{limitFieldLabels[field]}</span>
      <input
        id={id(field)}
        name={field}
        inputMode="decimal"
        value={value}
        placeholder={placeholder}
        onChange={(event) => {
          set(event.target.value);
          setSaved(false);
        }}
      />
    </label>
  );

  return (
    <form
      className="provider-limit"
      data-provider={limit.provider}
      data-host={limit.host ?? undefined}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <div className="limit-name">
        <strong>{limit.provider}</strong>
        {limit.host && <span> on {limit.host}</span>}
        {limit.pausedUntil && <span className="muted">paused until {formatWhen(limit.pausedUntil)}</span>}
      </div>
      {input(
        'requestsPerSecond',
        rate,
        setRate,
        limit.learnedRequestsPerSecond === null
          ? 'no limit'
          : `learned: ${limit.learnedRequestsPerSecond.toFixed(1)}/s`,
      )}
      {input('concurrency', concurrency, setConcurrency, 'no limit')}
      <div className="limit-actions">
        <button type="submit" className="small primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="small"
          disabled={saving}
          onClick={() => void put({ requestsPerSecond: null, concurrency: null })}
        >
          Clear
        </button>
      </div>
      {saved && <span className="muted limit-saved">Saved</span>}
      {error && <p className="field-error">{error.message}</p>}
    </form>
  );
}

/** The server's 400 names the field by its path (`requestsPerSecond`); say it with the label too. */
function serverError(thrown: unknown): { field?: LimitField; message: string } {
  const field = thrown instanceof GlazeError ? thrown.path?.replace(/^(body|query)\./, '') : undefined;
  if (thrown instanceof GlazeError && field && field in limitFieldLabels) {
    return {
      field: field as LimitField,
      message: `${limitFieldLabels[field as LimitField]} (${field}): ${thrown.detail}`,
    };
  }
  return { message: errorText(thrown) };
}
