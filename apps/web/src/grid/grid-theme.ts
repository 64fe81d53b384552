import type { Theme } from '@glideapps/glide-data-grid';

/** Quiet spreadsheet look: white cells, thin grey rules, violet accent. */
export const gridTheme: Partial<Theme> = {
  accentColor: '#7c3aed',
  accentLight: 'rgba(124, 58, 237, 0.10)',
  textDark: '#111827',
  textMedium: '#4b5563',
  textLight: '#9ca3af',
  textHeader: '#111827',
  bgHeader: '#f9fafb',
  bgHeaderHovered: '#f3f4f6',
  borderColor: '#e5e7eb',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  baseFontStyle: '13px',
  headerFontStyle: '600 13px',
  cellHorizontalPadding: 10,
};
