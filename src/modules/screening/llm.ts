import { createHash } from 'node:crypto';
import type { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import type { Finding } from './checks/index.ts';

export interface LlmSettings {
  /** e.g. https://llm.example/v1 — `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey: string;
  /** The check runs inside the review move's transaction, so it must give up quickly. */
  timeoutMs?: number;
}

const SYSTEM_PROMPT = [
  '你是中国新闻媒体的审稿助手。检查稿件中的政治导向、事实与常识错误、不当表述、歧视或低俗内容、泄露隐私等问题。',
  '只报告确实需要编辑留意的问题。以 JSON 回答，格式：{"findings":[{"quote":"原文中的片段","reason":"问题与理由","suggestion":"可选的修改建议"}]}。',
  '没有问题时回答 {"findings":[]}。quote 必须逐字摘自原文。',
].join('\n');

const MAX_FINDINGS = 20;
const MAX_INPUT_CHARS = 12_000;

/**
 * 大模型审核 (optional): asks an OpenAI-compatible chat API for problems a lexicon cannot see. It only
 * advises: every finding is severity 'review' with the model's reason. It never blocks a story: when
 * the model is slow, down, or answers something that is not the agreed JSON, the result is a single
 * 'info' finding saying the LLM review did not run, so the reviewer knows it is missing rather than
 * believing the text was judged clean. Answers are cached by text, so one story is sent once per
 * revision, not again at each review level.
 */
export class LlmScreener {
  private readonly cache = new Map<string, Finding[]>();

  constructor(
    private readonly settings: LlmSettings,
    private readonly http: OutboundHttpClient,
  ) {}

  async screen(title: string, body: string): Promise<Finding[]> {
    const text = `${title}\n\n${body}`.slice(0, MAX_INPUT_CHARS);
    const key = createHash('sha256').update(`${this.settings.model}\0${text}`).digest('hex');
    const cached = this.cache.get(key);
    if (cached) return cached;
    let findings: Finding[];
    try {
      findings = await this.ask(title, body, text);
    } catch (err) {
      // Not cached: the next check tries again.
      return [{ rule: 'llm', severity: 'info', message: `大模型审核未完成（${describe(err)}），请人工把关 / LLM review did not run` }];
    }
    if (this.cache.size >= 500) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, findings);
    return findings;
  }

  private async ask(title: string, body: string, text: string): Promise<Finding[]> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const res = await this.http.request(url, {
      method: 'POST',
      timeoutMs: this.settings.timeoutMs ?? 10_000,
      maxBodyBytes: 1024 * 1024,
      maxRedirects: 0,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.settings.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: text },
        ],
      }),
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
    const content = messageContent(JSON.parse(res.text()));
    const answer = parseAnswer(content);
    const findings: Finding[] = [];
    for (const f of answer.slice(0, MAX_FINDINGS)) {
      // Positions refer to the body text, as every other finding's do; a quote from the title has none.
      const at = f.quote ? body.indexOf(f.quote) : -1;
      const inTitle = at < 0 && !!f.quote && title.includes(f.quote);
      findings.push({
        rule: 'llm',
        severity: 'review',
        message: `${inTitle ? '标题：' : ''}${f.quote ? `“${f.quote}” ` : ''}${f.reason}（大模型建议，仅供参考）`,
        ...(at >= 0 ? { start: at, end: at + f.quote!.length } : {}),
        ...(f.suggestion ? { suggestion: f.suggestion } : {}),
      });
    }
    return findings;
  }
}

function messageContent(response: unknown): string {
  const choices = (response as { choices?: { message?: { content?: unknown } }[] } | null)?.choices;
  const content = Array.isArray(choices) ? choices[0]?.message?.content : undefined;
  if (typeof content !== 'string') throw new Error('no message in the response');
  return content;
}

interface Answer {
  quote?: string;
  reason: string;
  suggestion?: string;
}

/** The model's JSON, tolerating a ```json fence; anything else is a failure, not an empty answer. */
export function parseAnswer(content: string): Answer[] {
  const unfenced = content.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  let value: unknown;
  try {
    value = JSON.parse(unfenced);
  } catch {
    throw new Error('the model did not answer JSON');
  }
  const list = (value as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) throw new Error('the model answer has no findings list');
  const out: Answer[] = [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    if (typeof r.reason !== 'string' || !r.reason.trim()) continue;
    out.push({
      reason: r.reason.trim().slice(0, 500),
      ...(typeof r.quote === 'string' && r.quote.trim() ? { quote: r.quote.trim().slice(0, 200) } : {}),
      ...(typeof r.suggestion === 'string' && r.suggestion.trim() ? { suggestion: r.suggestion.trim().slice(0, 200) } : {}),
    });
  }
  return out;
}

function describe(err: unknown) {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : 'error';
}
