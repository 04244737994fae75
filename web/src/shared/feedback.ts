import { App } from 'antd';
import { useCallback } from 'react';
import { describeError } from './api.ts';
import { useI18n } from './i18n.ts';

/** Shows an API error (problem+json `detail` / `detailEn`) as a toast in the current language. */
export function useNotifyError() {
  const { message } = App.useApp();
  const { lang } = useI18n();
  return useCallback((err: unknown) => void message.error(describeError(err, lang)), [message, lang]);
}
