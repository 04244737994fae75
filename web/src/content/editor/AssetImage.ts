import { mergeAttributes, Node } from '@tiptap/core';
import { ReactNodeViewRenderer } from '@tiptap/react';
import { assetSrc } from '../model.ts';
import { AssetImageView } from './AssetImageView.tsx';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    assetImage: {
      /** Inserts a picture from the asset library at the selection. */
      insertAssetImage(attrs: { assetId: string; alt?: string; caption?: string }): ReturnType;
    };
  }
}

/**
 * The body's picture: `{type: 'image', attrs: {assetId, alt, caption}}`, exactly what the server
 * accepts (src/modules/content/doc.ts). Bodies never carry URLs; the bytes come from the asset
 * library by id. Rendered as <figure><img><figcaption>, and parsed back from that shape on paste.
 */
export const AssetImage = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      assetId: { default: null, parseHTML: (el) => el.getAttribute('data-asset-id'), renderHTML: () => ({}) },
      alt: { default: '', parseHTML: (el) => el.querySelector('img')?.getAttribute('alt') ?? '', renderHTML: () => ({}) },
      caption: { default: '', parseHTML: (el) => el.querySelector('figcaption')?.textContent ?? '', renderHTML: () => ({}) },
    };
  },

  parseHTML() {
    return [{ tag: 'figure[data-asset-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const assetId = String(node.attrs.assetId ?? '');
    const caption = String(node.attrs.caption ?? '');
    return [
      'figure',
      mergeAttributes(HTMLAttributes, { 'data-asset-id': assetId }),
      ['img', { src: assetSrc(assetId, 'medium'), alt: String(node.attrs.alt ?? '') }],
      ['figcaption', {}, caption],
    ];
  },

  addNodeView() {
    return ReactNodeViewRenderer(AssetImageView);
  },

  addCommands() {
    return {
      insertAssetImage:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { alt: '', caption: '', ...attrs } }),
    };
  },
});
