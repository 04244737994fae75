import { Empty } from 'antd';
import { useI18n } from '../i18n.ts';

export function WordingPacksTab() {
  const { t } = useI18n();
  return <Empty description={t('加载中', 'Loading')} />;
}
