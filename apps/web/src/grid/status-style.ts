import type { CellStatus } from '@glaze/core';

/**
 * How each status looks. Every status has a glyph and a word, so none relies on colour alone
 * (colour-blind people and greyscale screenshots read the same grid).
 */
export const statusStyle: Record<CellStatus, { label: string; glyph: Glyph; color: string; fill?: string }> =
  {
    idle: { label: '', glyph: 'none', color: '#8a8f98' },
    queued: { label: 'queued', glyph: 'ring', color: '#6b7280' },
    running: { label: 'running', glyph: 'spinner', color: '#2563eb', fill: '#f3f7ff' },
    done: { label: '', glyph: 'none', color: '#111827' },
    error: { label: 'error', glyph: 'bang', color: '#b42318', fill: '#fef3f2' },
    skipped: { label: 'skipped', glyph: 'slash', color: '#6b7280' },
    cancelled: { label: 'cancelled', glyph: 'cross', color: '#6b7280' },
    // the old value stays readable, in amber with a clock: "this was computed from older inputs"
    stale: { label: 'stale', glyph: 'clock', color: '#b45309', fill: '#fffbeb' },
  };

export type Glyph = 'none' | 'ring' | 'spinner' | 'bang' | 'slash' | 'cross' | 'clock';
