import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Every .ts/.tsx file under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative import specifiers of one file: import/export … from, import('…'), import '…'. Type imports count. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
  for (const [, , spec] of text.matchAll(pattern)) if (spec) found.push(spec);
  return found;
}

function resolveImport(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ])
    if (existsSync(candidate) && !candidate.endsWith(path.sep)) return candidate;
  throw new Error(`${path.relative(repoRoot, from)}: cannot resolve import '${spec}'`);
}

/**
 * A file's node: its first folder under src, or the file itself when it sits at the top of src
 * (files at the top are one folder, so imports between two of them are not edges either).
 */
const nodeOf = (src: string, file: string): string => path.relative(src, file).split(path.sep)[0] ?? file;
const isTopFile = (node: string) => /\.tsx?$/.test(node);

/** The folder graph of one src tree: folder → folders it imports from (imports inside a folder are not edges). */
export function folderGraph(src: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(src)) {
    const from = nodeOf(src, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, spec);
      if (!target.startsWith(src + path.sep)) continue;
      const to = nodeOf(src, target);
      if (to !== from && !(isTopFile(to) && isTopFile(from))) edges.add(to);
    }
  }
  return graph;
}

/** One cycle as a path of folders (first repeated at the end), or undefined when the graph is acyclic. */
export function findFolderCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Not yet checked: apps/web/src, whose folders still import each other both ways (table ↔ column-form,
 * store ↔ realtime): its import direction is issue #16 part 1. Add it here once they are one way.
 */
const unchecked = new Set(['apps/web/src']);

const srcRoots = ['apps', 'packages'].flatMap((top) =>
  readdirSync(path.join(repoRoot, top))
    .map((name) => path.join(repoRoot, top, name, 'src'))
    .filter((src) => existsSync(src) && !unchecked.has(path.relative(repoRoot, src))),
);

/**
 * Back edges that other work is removing; each is dropped before the check, so every other cycle
 * still fails. Delete an entry once its edge is gone.
 */
const knownBackEdges: Record<string, [string, string][]> = {
  // support/read-completion.ts imports the LlmConfig type from llm.ts
  'packages/providers/src': [['support', 'llm.ts']],
};

describe('folders import each other one way', () => {
  it('finds the cycle in a graph that has one, and none in one that has not', () => {
    const graph = (edges: Record<string, string[]>) =>
      new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));
    expect(findFolderCycle(graph({ worker: ['cache'], cache: ['deps'], deps: ['worker'] }))).toEqual([
      'cache',
      'deps',
      'worker',
      'cache',
    ]);
    expect(findFolderCycle(graph({ worker: ['cache', 'deps'], cache: ['deps'], deps: [] }))).toBeUndefined();
  });

  it('reads value, type, re-export and dynamic imports', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b/b';",
      "export { c } from './c';",
      "const d = await import('./d');",
      "import './e';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a', '../b/b', './c', './d', './e']);
  });

  it('reads the engine as the folders its README names', () => {
    const graph = folderGraph(path.join(repoRoot, 'packages/engine/src'));
    for (const folder of [
      'runs',
      'worker',
      'tables',
      'rows',
      'workspaces',
      'feed',
      'limits',
      'cache',
      'deps',
    ])
      expect(graph.has(folder), folder).toBe(true);
    expect(graph.get('worker')?.has('runs')).toBe(true);
  });

  it.each(srcRoots.map((src) => [path.relative(repoRoot, src), src]))(
    '%s has no cycle between its folders',
    (name, src) => {
      const graph = folderGraph(src);
      for (const [from, to] of knownBackEdges[name] ?? []) graph.get(from)?.delete(to);
      const cycle = findFolderCycle(graph);
      expect(cycle && `folder cycle: ${cycle.join(' → ')}`).toBeUndefined();
    },
  );
});
