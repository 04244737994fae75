import {
  BoldOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  StrikethroughOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Button, Divider, Space, Tooltip } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../../shared/i18n.ts';
import type { DocNode } from '../../shared/types.ts';
import { AssetImage } from './AssetImage.ts';

interface Props {
  /** The initial document; the editor owns the document after that (reset by remounting with a new key). */
  initial: DocNode;
  editable: boolean;
  /** Every change of the document (TipTap JSON, already in the server's node and mark vocabulary). */
  onChange(doc: DocNode): void;
  /** The editor instance, for the page's image insert and for "is the user composing?" checks. */
  onReady?(editor: Editor): void;
  /** Opens the asset picker; the page inserts the chosen picture. */
  onPickImage?(): void;
}

/**
 * 正文编辑器: TipTap with the starter kit (limited to the server's allow-list) and our asset image
 * node. Chinese IME input is left entirely to ProseMirror, which handles composition itself; the
 * page asks `editor.view.composing` before it autosaves, so a save never lands mid-composition.
 */
export function RichEditor({ initial, editable, onChange, onReady, onPickImage }: Props) {
  const { t } = useI18n();
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] },
      }),
      AssetImage,
    ],
    content: initial,
    editable,
    immediatelyRender: true,
    editorProps: { attributes: { class: 'tf-editor', 'data-testid': 'body-editor', spellcheck: 'false' } },
    onUpdate: ({ editor: e }) => onChange(e.getJSON() as DocNode),
  });

  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);
  useEffect(() => {
    // no update event: toggling editability is not a change of the document
    if (editor && editor.isEditable !== editable) editor.setEditable(editable, false);
  }, [editor, editable]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });

  const tool = (key: string, title: string, icon: ReactNode, active: boolean, run: () => void, disabled = false) => (
    <Tooltip title={title} key={key}>
      <Button size="small" type={active ? 'primary' : 'text'} icon={icon} onClick={run} disabled={disabled} aria-label={title} />
    </Tooltip>
  );

  const setLink = () => {
    const previous = String(editor.getAttributes('link').href ?? '');
    const href = window.prompt(t('链接地址（留空则移除）', 'Link address (empty removes it)'), previous);
    if (href === null) return;
    if (href.trim() === '') editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  return (
    <div style={{ border: '1px solid #d9d9d9', borderRadius: 8, background: '#fff' }}>
      {editable && (
        <Space wrap size={2} style={{ padding: '6px 8px', borderBottom: '1px solid #f0f0f0', width: '100%' }} data-testid="editor-toolbar">
          {tool('undo', t('撤销', 'Undo'), <UndoOutlined />, false, () => editor.chain().focus().undo().run(), !state.canUndo)}
          {tool('redo', t('重做', 'Redo'), <RedoOutlined />, false, () => editor.chain().focus().redo().run(), !state.canRedo)}
          <Divider type="vertical" />
          <Tooltip title={t('小标题', 'Heading')}>
            <Button size="small" type={state.h2 ? 'primary' : 'text'} onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}>
              {t('标题2', 'H2')}
            </Button>
          </Tooltip>
          <Tooltip title={t('三级标题', 'Sub-heading')}>
            <Button size="small" type={state.h3 ? 'primary' : 'text'} onClick={() => editor.chain().focus().toggleHeading({ level: 3 }).run()}>
              {t('标题3', 'H3')}
            </Button>
          </Tooltip>
          {tool('bold', t('加粗', 'Bold'), <BoldOutlined />, state.bold, () => editor.chain().focus().toggleBold().run())}
          {tool('italic', t('斜体', 'Italic'), <ItalicOutlined />, state.italic, () => editor.chain().focus().toggleItalic().run())}
          {tool('underline', t('下划线', 'Underline'), <UnderlineOutlined />, state.underline, () => editor.chain().focus().toggleUnderline().run())}
          {tool('strike', t('删除线', 'Strikethrough'), <StrikethroughOutlined />, state.strike, () => editor.chain().focus().toggleStrike().run())}
          {tool('link', t('链接', 'Link'), <LinkOutlined />, state.link, setLink)}
          <Divider type="vertical" />
          {tool('bullet', t('无序列表', 'Bulleted list'), <UnorderedListOutlined />, state.bullet, () => editor.chain().focus().toggleBulletList().run())}
          {tool('ordered', t('有序列表', 'Numbered list'), <OrderedListOutlined />, state.ordered, () => editor.chain().focus().toggleOrderedList().run())}
          <Tooltip title={t('引用', 'Quote')}>
            <Button size="small" type={state.quote ? 'primary' : 'text'} onClick={() => editor.chain().focus().toggleBlockquote().run()}>
              “ ”
            </Button>
          </Tooltip>
          <Tooltip title={t('分隔线', 'Divider')}>
            <Button size="small" type="text" onClick={() => editor.chain().focus().setHorizontalRule().run()}>
              —
            </Button>
          </Tooltip>
          <Divider type="vertical" />
          {onPickImage && (
            <Button size="small" icon={<PictureOutlined />} onClick={onPickImage} data-testid="insert-image">
              {t('插入图片', 'Insert image')}
            </Button>
          )}
        </Space>
      )}
      <EditorContent editor={editor} style={{ padding: '8px 16px', minHeight: 360 }} />
    </div>
  );
}
