import { actorContext, requireAuth } from '../../platform/http/auth.ts';
import { problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { presentCuration, presentStory } from './curation.presenter.ts';
import { CandidatesQuery, CandidatesSchema, CurationBody, CurationQuery, CurationSchema } from './curation.schema.ts';
import type { CurationService } from './curation.service.ts';

/** 门户编排 for staff: the 头条, 专题 and 栏目 order of a unit's portal home. */
export function curationRoutes(curation: CurationService, base: string) {
  return async (app: HttpServer) => {
    const tags = ['portal 门户编排'];
    app.get(
      '/api/portal/curation',
      { schema: { tags, summary: '本单位门户首页的编排（头条、专题、栏目顺序）/ the unit’s portal home arrangement', querystring: CurationQuery, response: { 200: CurationSchema, ...problemResponses } } },
      async (request) => presentCuration(await curation.get(requireAuth(request).actor, request.query.unit), base),
    );
    app.put(
      '/api/portal/curation',
      {
        schema: {
          tags,
          summary: '设置头条、专题与栏目顺序（本单位编辑、主编、管理员）/ set the headline, topics and section order',
          description: '头条与专题只能选本单位门户上在发的本单位稿件。/ Only this unit’s own live portal stories may be chosen.',
          body: CurationBody,
          response: { 200: CurationSchema, ...problemResponses },
        },
      },
      async (request) => presentCuration(await curation.set(actorContext(request), request.body), base),
    );
    app.get(
      '/api/portal/curation/candidates',
      { schema: { tags, summary: '可选作头条或专题的本单位在发稿件 / stories the editor may choose', querystring: CandidatesQuery, response: { 200: CandidatesSchema, ...problemResponses } } },
      async (request) => ({ items: (await curation.candidates(requireAuth(request).actor, request.query)).map(presentStory) }),
    );
  };
}
