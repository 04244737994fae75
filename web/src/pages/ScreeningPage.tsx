import { Card, Tabs } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n.ts';
import { AlertsTab } from '../screening/AlertsTab.tsx';
import { AllowListTab } from '../screening/AllowListTab.tsx';
import { LexiconsTab } from '../screening/LexiconsTab.tsx';
import { TestTextTab } from '../screening/TestTextTab.tsx';
import { WordingPacksTab } from '../screening/WordingPacksTab.tsx';

const tabKeys = ['test', 'lexicons', 'allow', 'wording', 'alerts'] as const;
type TabKey = (typeof tabKeys)[number];

function initialTab(): TabKey {
  const hash = window.location.hash.slice(1);
  return (tabKeys as readonly string[]).includes(hash) ? (hash as TabKey) : 'test';
}

/** 智能审核: test a text, lexicons (敏感词库), allow-lists, wording packs (规范表述) and patrol alerts (巡查). */
export default function ScreeningPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<TabKey>(initialTab);
  const change = (key: string) => {
    setTab(key as TabKey);
    window.history.replaceState(null, '', `#${key}`);
  };
  return (
    <Card title={t('智能审核', 'Screening')} data-testid="screening-center">
      <Tabs
        activeKey={tab}
        onChange={change}
        destroyOnHidden
        items={[
          { key: 'test', label: t('测一段文字', 'Test a text'), children: <TestTextTab /> },
          { key: 'lexicons', label: t('敏感词库', 'Lexicons'), children: <LexiconsTab /> },
          { key: 'allow', label: t('白名单', 'Allow-list'), children: <AllowListTab /> },
          { key: 'wording', label: t('规范表述', 'Wording rules'), children: <WordingPacksTab /> },
          { key: 'alerts', label: t('巡查告警', 'Patrol alerts'), children: <AlertsTab /> },
        ]}
      />
    </Card>
  );
}
