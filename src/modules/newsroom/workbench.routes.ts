import { requireAuth } from '../../platform/http/auth.ts';
import { problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { presentWorkbench } from './workbench.presenter.ts';
import { WorkbenchSchema } from './workbench.schema.ts';
import type { WorkbenchService } from './workbench.service.ts';

export function workbenchRoutes(workbench: WorkbenchService) {
  return async (app: HttpServer) => {
    app.get(
      '/api/workbench',
      {
        schema: {
          tags: ['newsroom 采编流程'],
          summary: '工作台：当前单位、当前角色今天要处理的事 / the workbench: what the active unit and role have in hand today',
          description:
            '按角色分区：记者看自己的稿件与任务，编辑与主编看待本人审核的稿件（等待超过 24 小时为超时）与今日签发，单位管理员看本单位各环节数量、渠道投递失败与人员，监管与联合体管理员看下级单位的动态 / sections follow the role held in the active unit',
          response: { 200: WorkbenchSchema, ...problemResponses },
        },
      },
      async (request) => presentWorkbench(await workbench.read(requireAuth(request).actor)),
    );
  };
}
