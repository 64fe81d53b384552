import type { Page } from 'playwright-core';

/** Where to click on the canvas grid. Mirrors the app's layout constants (grid-columns.ts, enrichment-grid.tsx). */
const markerWidth = 56;
const headerHeight = 46;
const rowHeight = 32;

export interface GridLayout {
  /** Column widths from left to right. */
  widths: number[];
}

/**
 * Where the grid's canvas is, once it has stopped moving: the runs bar above it grows and shrinks as
 * runs start and finish, and a click measured before such a shift lands on another row (a busy
 * machine delivers those changes late: "Run this row" was then missing from a panel never opened).
 */
async function canvasBox(page: Page) {
  const canvas = page.locator('.grid-wrap canvas').first();
  let box = await canvas.boundingBox();
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const again = await canvas.boundingBox();
    if (box && again && again.x === box.x && again.y === box.y) return again;
    box = again;
  }
  if (!box) throw new Error('the grid canvas is not on screen');
  return box;
}

function columnLeft(layout: GridLayout, col: number): number {
  return markerWidth + layout.widths.slice(0, col).reduce((a, b) => a + b, 0);
}

/** Opens a column's header menu (the dots at the header's right edge). */
export async function openColumnMenu(page: Page, layout: GridLayout, col: number): Promise<void> {
  const box = await canvasBox(page);
  const x = box.x + columnLeft(layout, col) + (layout.widths[col] ?? 0) - 14;
  await page.mouse.click(x, box.y + headerHeight / 2);
  await page.waitForSelector('.menu[role=menu]');
}

/** Clicks a cell (0-based row). */
export async function clickCell(page: Page, layout: GridLayout, col: number, row: number): Promise<void> {
  const box = await canvasBox(page);
  await page.mouse.click(
    box.x + columnLeft(layout, col) + 30,
    box.y + headerHeight + row * rowHeight + rowHeight / 2,
  );
}

/** Drags column `from`'s header onto column `to`'s place. */
export async function dragHeader(page: Page, layout: GridLayout, from: number, to: number): Promise<void> {
  const box = await canvasBox(page);
  const y = box.y + headerHeight / 2;
  await page.mouse.move(box.x + columnLeft(layout, from) + 40, y);
  await page.mouse.down();
  const target = box.x + columnLeft(layout, to) + 10;
  for (let step = 1; step <= 10; step++) {
    await page.mouse.move(
      box.x + columnLeft(layout, from) + 40 + ((target - box.x - columnLeft(layout, from) - 40) * step) / 10,
      y,
    );
  }
  await page.mouse.up();
}

/** Ticks a row's checkbox in the marker column (0-based row), adding it to the selection. */
export async function selectRow(page: Page, row: number): Promise<void> {
  const box = await canvasBox(page);
  const y = box.y + headerHeight + row * rowHeight + rowHeight / 2;
  await page.mouse.move(box.x + markerWidth / 2, y);
  await page.mouse.click(box.x + markerWidth / 2, y);
}
