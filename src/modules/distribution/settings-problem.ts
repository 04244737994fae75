import type { TObject } from 'typebox';
import Value from 'typebox/value';

/**
 * A channel's settings that miss the adapter's schema, said the way the console's form names the field:
 * each adapter describes its settings as "中文 / English", and an admin should read that, not a JSON path
 * or a regular expression.
 */
export interface SettingsIssue {
  zh: string;
  en: string;
}

/**
 * The short name of one setting: its description up to the first hint ("公众号 AppID（wx 开头）" is
 * 公众号 AppID), in each language; in English the key when the adapter wrote Chinese only.
 */
export function settingName(schema: TObject, key: string): { zh: string; en: string } {
  const description = (schema.properties[key] as { description?: string } | undefined)?.description;
  if (!description) return { zh: key, en: key };
  const [zh, en = key] = description.split(' / ');
  return { zh: zh!.split(/[，（：]/)[0]!.trim(), en: en.split(/[,(:]/)[0]!.trim() };
}

/** The first problem with `value` under `schema`, or null when it fits. */
export function settingsIssue(schema: TObject, value: Record<string, unknown>): SettingsIssue | null {
  if (Value.Check(schema, value)) return null;
  const errors = [...Value.Errors(schema, value)];
  // An unknown key is reported twice (as a `false` schema, then as additionalProperties): take the readable one.
  const error = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!error) return { zh: '设置不符合要求', en: 'the settings do not match' };
  const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[]; limit?: number };
  if (error.keyword === 'additionalProperties') {
    const key = params.additionalProperties?.[0] ?? '';
    return { zh: `没有「${key}」这项设置`, en: `there is no setting ${key}` };
  }
  const key = error.keyword === 'required' ? (params.requiredProperties?.[0] ?? '') : error.instancePath.split('/')[1] ?? '';
  const { zh, en } = settingName(schema, key);
  switch (error.keyword) {
    case 'required':
      return { zh: `请填写「${zh}」`, en: `${en} is required` };
    case 'minLength':
      return params.limit === 1 ? { zh: `「${zh}」不能为空`, en: `${en} cannot be empty` } : { zh: `「${zh}」至少 ${params.limit} 个字符`, en: `${en} needs at least ${params.limit} characters` };
    case 'maxLength':
      return { zh: `「${zh}」最多 ${params.limit} 个字符`, en: `${en} takes at most ${params.limit} characters` };
    case 'minimum':
      return { zh: `「${zh}」不能小于 ${params.limit}`, en: `${en} must be at least ${params.limit}` };
    case 'maximum':
      return { zh: `「${zh}」不能大于 ${params.limit}`, en: `${en} must be at most ${params.limit}` };
    default:
      return { zh: `「${zh}」的格式不对`, en: `${en} is not in the expected form` };
  }
}
