import type { ProviderInfo } from '@glaze/core';
import { useState } from 'react';
import { fieldsOf, type JsonSchema } from './json-schema';
import { ProviderPicker } from './provider-picker';
import { SchemaField } from './schema-field';
import {
  moveStep,
  newStep,
  type StepDraft,
  stepFieldOfPath,
  stepsConfig,
  stepsFromConfig,
} from './waterfall-steps';

interface Props {
  providers: readonly ProviderInfo[];
  /** The `steps` field's text: the JSON the server takes, kept in step with the builder. */
  text: string;
  /** The server's message for the steps, and the path it named (`config.steps[1].config.url`). */
  error?: { message: string; path?: string };
  columnNames: readonly string[];
  firstRow: Record<string, unknown> | undefined;
  onChange(text: string): void;
}

/**
 * A waterfall's steps as a list — add a step, choose its provider, fill that provider's own form,
 * move it up or down, remove it — instead of a JSON box. It writes the same `steps` JSON.
 */
export function StepsField({ providers, text, error, columnNames, firstRow, onChange }: Props) {
  const [steps, setSteps] = useState<StepDraft[]>(() => stepsFromConfig(providers, parse(text)));
  const firstReal = providers.find((p) => p.id !== 'waterfall')?.id ?? 'mock';
  const [adding, setAdding] = useState(firstReal);

  const update = (next: StepDraft[]) => {
    setSteps(next);
    onChange(JSON.stringify(stepsConfig(providers, next)));
  };
  const at = stepFieldOfPath(error?.path);

  return (
    <div className={`field steps${error ? ' has-error' : ''}`} data-field="steps">
      <span className="label">Steps</span>
      <p className="hint">Tried first to last; the first answer wins.</p>
      <ol className="step-list">
        {steps.map((step, index) => {
          const schema = providers.find((p) => p.id === step.provider)?.configSchema as
            | JsonSchema
            | undefined;
          return (
            <li key={step.key} className="step" data-step={index}>
              <div className="step-head">
                <strong>Step {index + 1}</strong>
                <ProviderPicker
                  id={`step-${index}-provider`}
                  providers={providers}
                  value={step.provider}
                  exclude={['waterfall']}
                  onChange={(provider) =>
                    update(
                      steps.map((s, i) =>
                        i === index ? { ...newStep(providers, provider), key: s.key } : s,
                      ),
                    )
                  }
                />
                <button
                  type="button"
                  aria-label={`Move step ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => update(moveStep(steps, index, index - 1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move step ${index + 1} down`}
                  disabled={index === steps.length - 1}
                  onClick={() => update(moveStep(steps, index, index + 1))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove step ${index + 1}`}
                  onClick={() => update(steps.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </div>
              {fieldsOf(schema ?? {}).map((field) => (
                <SchemaField
                  key={`${step.key}.${step.provider}.${field.name}`}
                  idPrefix={`step-${index}-`}
                  field={field}
                  text={step.texts[field.name] ?? ''}
                  error={at?.step === index && at.field === field.name ? error?.message : undefined}
                  columnNames={columnNames}
                  firstRow={firstRow}
                  onChange={(value) =>
                    update(
                      steps.map((s, i) =>
                        i === index ? { ...s, texts: { ...s.texts, [field.name]: value } } : s,
                      ),
                    )
                  }
                />
              ))}
            </li>
          );
        })}
      </ol>
      <div className="step-add">
        <ProviderPicker
          id="step-new-provider"
          providers={providers}
          value={adding}
          exclude={['waterfall']}
          onChange={setAdding}
        />
        <button type="button" onClick={() => update([...steps, newStep(providers, adding)])}>
          + Add step
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
