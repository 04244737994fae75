import type { ConfigProviderProps } from 'antd';
// antd ships no exports map; its ES build's default export is the locale object
import * as enUSModule from 'antd/es/locale/en_US.js';
import * as zhCNModule from 'antd/es/locale/zh_CN.js';
import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Role, UnitKind } from './types.ts';

type Locale = NonNullable<ConfigProviderProps['locale']>;
/** TypeScript sees antd's ES files as CommonJS (one `default` deeper than the bundler does); accept both. */
function unwrapLocale(mod: { default: unknown }): Locale {
  const value = mod.default as Locale | { default: Locale };
  return 'locale' in value ? value : value.default;
}
const zhCN = unwrapLocale(zhCNModule);
const enUS = unwrapLocale(enUSModule);

/**
 * Chinese first, English second. Text is written in place as t('中文', 'English'); the choice is
 * kept in localStorage and drives antd's locale (ConfigProvider) and how errors are shown.
 */
export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'tianfu.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const roleLabels: Record<Role, [zh: string, en: string]> = {
  reporter: ['记者', 'Reporter'],
  editor: ['编辑', 'Editor'],
  chief_editor: ['主编', 'Chief editor'],
  unit_admin: ['单位管理员', 'Unit admin'],
  supervisor: ['监管', 'Supervisor'],
  alliance_admin: ['联合体管理员', 'Alliance admin'],
};

export const kindLabels: Record<UnitKind, [zh: string, en: string]> = {
  province: ['省级', 'Province'],
  founder: ['发起单位', 'Founder'],
  city: ['市（州）', 'City'],
  county: ['县级融媒体中心', 'County centre'],
  zone: ['功能区', 'Zone'],
  department: ['部门', 'Department'],
};

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  /** Pick the text for the current language. */
  t(zh: string, en: string): string;
  role(role: Role): string;
  kind(kind: UnitKind): string;
  antdLocale: Locale;
  /** BCP 47 tag for dates and numbers. */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const pick = (pair: [string, string]) => (lang === 'zh' ? pair[0] : pair[1]);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    return {
      lang,
      setLang,
      t: (zh, en) => (lang === 'zh' ? zh : en),
      role: (role) => pick(roleLabels[role]),
      kind: (kind) => pick(kindLabels[kind]),
      antdLocale: lang === 'zh' ? zhCN : enUS,
      locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    };
  }, [lang, setLang]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** A date-time for tables: zh-CN formatting in Chinese, en-US in English; '—' when absent. */
export function formatTime(iso: string | null | undefined, locale: string): string {
  return iso ? new Date(iso).toLocaleString(locale, { hour12: false }) : '—';
}
