import { startTestCluster } from '@glaze/db/testing';
import type { TestProject } from 'vitest/node';

/**
 * One real Postgres for the whole suite: `DATABASE_URL` when set, else an embedded one.
 * Each test file clones the migrated template (see packages/db/src/testing.ts).
 */
export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  project.provide('adminUrl', cluster.adminUrl);
  project.provide('templateName', cluster.templateName);
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateName: string;
  }
}
