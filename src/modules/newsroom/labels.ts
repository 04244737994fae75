import { byLanguage, itemStatusLabels, workflowActionLabels } from '../../shared/labels.ts';

export const statusLabels = byLanguage(itemStatusLabels);
export const actionLabels = byLanguage(workflowActionLabels);
