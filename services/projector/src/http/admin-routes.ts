import { parseParams, sendJson, type BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import { z } from 'zod';
import { PROJECTIONS } from '../copies/projection-copies';
import type { Rebuilds } from '../rebuild/rebuilds';

const projectionParams = z.strictObject({ name: z.enum(PROJECTIONS) });

/**
 * Rebuilds of the projections, admin scope: start one (202; 409 while one runs), cancel it (202; 409 once the
 * copies swapped), and where each projection stands, with the rebuild's progress.
 */
export function mountAdminRoutes(app: Express, auth: BearerAuth, rebuilds: Rebuilds): void {
  app.get('/admin/projections', auth.requireScope('admin'), async (_req, res) => {
    sendJson(res, 200, { projections: await Promise.all(PROJECTIONS.map((projection) => rebuilds.status(projection))) });
  });

  app.get('/admin/projections/:name', auth.requireScope('admin'), async (req, res) => {
    const { name } = parseParams(projectionParams, req);
    sendJson(res, 200, await rebuilds.status(name));
  });

  app.post('/admin/projections/:name/rebuild', auth.requireScope('admin'), async (req, res) => {
    const { name } = parseParams(projectionParams, req);
    const claimed = await rebuilds.request(name);
    sendJson(res, 202, { projection: name, rebuildId: claimed.rebuild?.id, phase: claimed.phase });
  });

  app.delete('/admin/projections/:name/rebuild', auth.requireScope('admin'), async (req, res) => {
    const { name } = parseParams(projectionParams, req);
    const cancelled = await rebuilds.cancel(name);
    sendJson(res, 202, { projection: name, rebuildId: cancelled.rebuild?.id ?? null, phase: cancelled.phase });
  });
}
