import { describe, expect, it } from 'vitest';
import {
  buildConfig,
  fieldOfPath,
  fieldsOf,
  initialText,
  type JsonSchema,
} from '../src/column-form/json-schema';

// What zod 4's z.toJSONSchema(mock.configSchema, { io: 'input' }) produces, trimmed.
const mockSchema: JsonSchema = {
  type: 'object',
  properties: {
    input: { type: 'string', default: '{{input}}', description: 'Template' },
    latencyMs: { type: 'integer', minimum: 0, maximum: 600000, default: 0 },
    failRate: { type: 'number', minimum: 0, maximum: 1, default: 0 },
    mode: { type: 'string', enum: ['a', 'b'] },
    headers: { anyOf: [{ type: 'object' }, { type: 'null' }], description: 'Extra headers' },
    strict: { type: 'boolean', default: false },
  },
};

describe('column form from JSON Schema', () => {
  it('maps each property to a field kind', () => {
    expect(fieldsOf(mockSchema).map((f) => [f.name, f.kind])).toEqual([
      ['input', 'string'],
      ['latencyMs', 'integer'],
      ['failRate', 'number'],
      ['mode', 'enum'],
      ['headers', 'json'],
      ['strict', 'boolean'],
    ]);
    expect(fieldsOf(mockSchema)[4]?.schema.description).toBe('Extra headers');
  });

  it('starts from the column config, else the defaults', () => {
    const [input, latency] = fieldsOf(mockSchema);
    expect(initialText(input!, {})).toBe('{{input}}');
    expect(initialText(latency!, { latencyMs: 250 })).toBe('250');
  });

  it('parses numbers, leaves blank optional fields out and sends unparseable text as is', () => {
    const fields = fieldsOf(mockSchema);
    const config = buildConfig(fields, {
      input: '{{Email}}',
      latencyMs: '50',
      failRate: 'lots',
      strict: 'true',
    });
    expect(config).toEqual({ input: '{{Email}}', latencyMs: 50, failRate: 'lots', strict: true });
  });

  it('finds the field an API error path names', () => {
    expect(fieldOfPath('config.latencyMs')).toBe('latencyMs');
    expect(fieldOfPath('config.steps[0].url')).toBe('steps');
    expect(fieldOfPath('name')).toBeUndefined();
  });
});
