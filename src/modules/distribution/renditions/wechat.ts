import type { AssetUrl, DocNode } from '../../content/doc.ts';
import type { RenditionSource } from '../contract.ts';
import { escapeHtml, safeHttpUrl } from './escape.ts';
import { type FrameLine, creditLines, leadLines } from './labels.ts';

/**
 * 微信公众号图文: the editor keeps only a subset of HTML and drops class attributes and <style>/<script>,
 * so every look is an inline style on section/p/span/strong/em/img/blockquote/h2/h3/ul/ol/li.
 * Images carry data-asset-id: the adapter uploads each one (media/uploadimg) and swaps in WeChat's URL,
 * since WeChat shows no picture from another host. Links outside mp.weixin.qq.com are not clickable in
 * an article, so a link keeps its text and the address follows it in brackets.
 */
export const wechatStyles = {
  article: 'font-size:16px;line-height:1.75;color:#333333;letter-spacing:0.5px;word-wrap:break-word;',
  p: 'margin:0 0 16px;text-align:justify;',
  h2: 'margin:24px 0 12px;font-size:20px;font-weight:bold;color:#222222;line-height:1.4;',
  h3: 'margin:20px 0 10px;font-size:17px;font-weight:bold;color:#222222;line-height:1.4;',
  list: 'margin:0 0 16px;padding-left:2em;',
  li: 'margin:0 0 6px;',
  blockquote: 'margin:0 0 16px;padding:8px 16px;border-left:4px solid #d9d9d9;background:#f7f7f7;color:#666666;',
  figure: 'margin:0 0 16px;text-align:center;',
  img: 'max-width:100%;height:auto;display:block;margin:0 auto;',
  caption: 'display:block;margin-top:6px;font-size:13px;color:#999999;line-height:1.5;',
  code: 'margin:0 0 16px;padding:12px;background:#f6f8fa;font-family:Menlo,Consolas,monospace;font-size:13px;white-space:pre-wrap;',
  rule: 'margin:24px 0;border-top:1px solid #e5e5e5;',
  correction: 'margin:0 0 16px;padding:8px 12px;background:#fff7e6;border-left:4px solid #fa8c16;color:#ad4e00;font-size:15px;',
  'ai-label': 'margin:0 0 16px;font-size:13px;color:#8c8c8c;',
  credit: 'margin:16px 0 0;font-size:13px;color:#8c8c8c;',
} as const;

const markStyle: Record<string, [open: string, close: string]> = {
  bold: ['<strong>', '</strong>'],
  italic: ['<em>', '</em>'],
  underline: ['<span style="text-decoration:underline;">', '</span>'],
  strike: ['<span style="text-decoration:line-through;">', '</span>'],
  code: ['<span style="font-family:Menlo,Consolas,monospace;background:#f6f8fa;padding:0 2px;">', '</span>'],
  superscript: ['<span style="vertical-align:super;font-size:75%;">', '</span>'],
  subscript: ['<span style="vertical-align:sub;font-size:75%;">', '</span>'],
};

export interface WechatRender {
  html: string;
  /** Links turned into text, so the preview can say so. */
  linksFlattened: number;
}

export function wechatHtml(source: RenditionSource, assetUrl: AssetUrl): WechatRender {
  let linksFlattened = 0;

  const text = (node: DocNode): string => {
    let html = escapeHtml(node.text ?? '');
    for (const mark of node.marks ?? []) {
      if (mark.type === 'link') {
        const href = safeHttpUrl(mark.attrs?.href);
        if (href) {
          linksFlattened++;
          html = `${html}<span style="color:#576b95;">（${escapeHtml(href)}）</span>`;
        }
      } else {
        const [open, close] = markStyle[mark.type]!;
        html = `${open}${html}${close}`;
      }
    }
    return html;
  };

  const node = (n: DocNode): string => {
    const inner = () => (n.content ?? []).map(node).join('');
    switch (n.type) {
      case 'doc':
        return inner();
      case 'text':
        return text(n);
      case 'paragraph':
        return `<p style="${wechatStyles.p}">${inner()}</p>`;
      case 'heading':
        return (Number(n.attrs?.level) || 2) <= 2 ? `<h2 style="${wechatStyles.h2}">${inner()}</h2>` : `<h3 style="${wechatStyles.h3}">${inner()}</h3>`;
      case 'bulletList':
        return `<ul style="${wechatStyles.list}">${inner()}</ul>`;
      case 'orderedList':
        return `<ol style="${wechatStyles.list}">${inner()}</ol>`;
      case 'listItem':
        // A paragraph inside a list item would add its bottom margin to every item.
        return `<li style="${wechatStyles.li}">${(n.content ?? []).map((c) => (c.type === 'paragraph' ? (c.content ?? []).map(node).join('') : node(c))).join('')}</li>`;
      case 'blockquote':
        return `<blockquote style="${wechatStyles.blockquote}">${inner()}</blockquote>`;
      case 'codeBlock':
        return `<section style="${wechatStyles.code}">${escapeHtml((n.content ?? []).map((c) => c.text ?? '').join(''))}</section>`;
      case 'hardBreak':
        return '<br>';
      case 'horizontalRule':
        return `<section style="${wechatStyles.rule}"></section>`;
      case 'image': {
        const assetId = typeof n.attrs?.assetId === 'string' ? n.attrs.assetId : null;
        if (!assetId) return '';
        const src = assetUrl(assetId) ?? '';
        const alt = escapeHtml(String(n.attrs?.alt ?? ''));
        const caption = n.attrs?.caption ? `<span style="${wechatStyles.caption}">${escapeHtml(String(n.attrs.caption))}</span>` : '';
        return `<section style="${wechatStyles.figure}"><img data-asset-id="${escapeHtml(assetId)}" src="${escapeHtml(src)}" alt="${alt}" style="${wechatStyles.img}">${caption}</section>`;
      }
    }
  };

  const frame = (line: FrameLine) =>
    `<p style="${wechatStyles[line.kind]}">${escapeHtml(line.text)}${line.href ? `<span style="color:#576b95;">${escapeHtml(line.href)}</span>` : ''}</p>`;

  const html = [
    `<section style="${wechatStyles.article}">`,
    ...leadLines(source, { bodyShown: true }).map(frame),
    node(source.body),
    ...creditLines(source).map(frame),
    '</section>',
  ].join('');
  return { html, linksFlattened };
}
