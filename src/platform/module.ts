import type { HttpServer } from './http/server.ts';
import type { JobDefinition } from './jobs.ts';

/**
 * What every module's factory (`createXModule` in src/modules/<m>/index.ts) returns. The composition root
 * (src/app.ts) only assembles these parts, so wiring a new module is the same four lines every time.
 * A module that contributes to another (a channel adapter, a workflow check) returns it as an extra field
 * typed by the receiving module's contract; app.ts hands it over, so no module imports against the flow.
 */
export interface ModuleParts<Services extends object> {
  services: Services;
  /** The module's Fastify plugin: its routes, schemas and hooks, encapsulated. */
  routes: (app: HttpServer) => Promise<void>;
  jobs: JobDefinition[];
}
