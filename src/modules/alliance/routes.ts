import { Type } from 'typebox';
import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { IdParams, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { presentUnit } from './presenter.ts';
import { abilities, unit } from '../../policies/index.ts';
import { CreateUnitBody, UnitListQuery, UnitSchema, UpdateUnitBody } from './schema.ts';
import type { AllianceService } from './service.ts';

const tags = ['alliance 联合体'];

export function allianceRoutes(alliance: AllianceService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/units',
      {
        schema: {
          tags,
          summary: '成员单位列表 / list units (the whole alliance tree is visible to all staff)',
          querystring: UnitListQuery,
          response: { 200: Type.Object({ items: Type.Array(UnitSchema), total: Type.Integer() }), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const units = await alliance.listUnits(request.query);
        return { items: units.map((u) => ({ ...presentUnit(u), can: abilities(actor, { addChild: unit.create, update: unit.update }, u) })), total: units.length };
      },
    );

    app.get(
      '/api/units/:id',
      { schema: { tags, summary: '单位详情 / one unit', params: IdParams, response: { 200: UnitSchema, ...problemResponses } } },
      async (request) => {
        requireAuth(request);
        return presentUnit(await alliance.getUnit(request.params.id));
      },
    );

    app.post(
      '/api/units',
      {
        schema: {
          tags,
          summary: '新增单位 / add a unit under a parent',
          body: CreateUnitBody,
          response: { 201: UnitSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const unit = await alliance.createUnit(actorContext(request), request.body);
        return reply.code(201).send(presentUnit(unit));
      },
    );

    app.patch(
      '/api/units/:id',
      {
        schema: {
          tags,
          summary: '改名、移动或停用单位 / rename, move or deactivate a unit',
          params: IdParams,
          body: UpdateUnitBody,
          response: { 200: UnitSchema, ...problemResponses },
        },
      },
      async (request) => presentUnit(await alliance.updateUnit(actorContext(request), request.params.id, request.body)),
    );
  };
}
