import type { ConfigProviderProps } from 'antd';
// antd ships no exports map; its ES build's default export is the locale object
import * as enUSModule from 'antd/es/locale/en_US.js';
import * as zhCNModule from 'antd/es/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { roleLabels, unitKindLabels } from '../../../src/shared/labels.ts';
import type { Role, UnitKind } from './types.ts';

type Locale = NonNullable<ConfigProviderProps['locale']>;
/** TypeScript sees antd's ES files as CommonJS (one `default` deeper than the bundler does); accept both. */
function unwrapLocale(mod: { default: unknown }): Locale {
  const value = mod.default as Locale | { default: Locale };
  return 'locale' in value ? value : value.default;
}
/**
 * antd's Chinese form messages name a wrong type by its code ("接收地址不是一个有效的url") and show a
 * pattern as a regular expression; these say what is wrong in words.
 */
function withChineseValidation(locale: Locale): Locale {
  const wrong = '${label}的格式不对';
  const types = Object.fromEntries(['string', 'method', 'array', 'object', 'date', 'boolean', 'regexp', 'hex'].map((type) => [type, wrong]));
  const messages = locale.Form?.defaultValidateMessages;
  return {
    ...locale,
    Form: {
      ...locale.Form,
      defaultValidateMessages: {
        ...messages,
        types: { ...types, url: '${label}应为完整的网址，如 https://example.cn/', email: '${label}应为电子邮箱地址', number: '${label}应为数字', integer: '${label}应为整数', float: '${label}应为数字' },
        pattern: { mismatch: wrong },
      },
    },
  };
}
const zhCN = withChineseValidation(unwrapLocale(zhCNModule));
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
    const pick = (pair: readonly [string, string]) => (lang === 'zh' ? pair[0] : pair[1]);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    // Date pickers take month and weekday names (and Monday as the first day) from dayjs's locale.
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    return {
      lang,
      setLang,
      t: (zh, en) => (lang === 'zh' ? zh : en),
      role: (role) => pick(roleLabels[role]),
      kind: (kind) => pick(unitKindLabels[kind]),
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
