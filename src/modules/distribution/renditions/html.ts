import { type AssetUrl, renderHtml } from '../../content/doc.ts';
import type { RenditionSource } from '../contract.ts';
import { escapeHtml } from './escape.ts';
import { type FrameLine, creditLines, leadLines } from './labels.ts';

/** A frame line as HTML with a class the portal and feed readers can style. */
export function frameLineHtml(line: FrameLine): string {
  const link = line.href ? `<a href="${escapeHtml(line.href)}" rel="noopener">${escapeHtml(line.href)}</a>` : '';
  return `<p class="tianfu-${line.kind}">${escapeHtml(line.text)}${link}</p>`;
}

/** Portal, feed and webhook body: the hub's safe HTML (an allow-list by construction) inside its frame. */
export function safeHtml(source: RenditionSource, assetUrl: AssetUrl): string {
  return [
    ...leadLines(source, { bodyShown: true }).map(frameLineHtml),
    renderHtml(source.body, assetUrl),
    ...creditLines(source).map(frameLineHtml),
  ].join('');
}
