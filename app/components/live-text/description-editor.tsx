import type { HocuspocusProvider } from '@hocuspocus/provider';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { type Editor, EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useRef } from 'react';
import { type ItemText, useFieldText } from '~/collab/use-item-text';
import { collaboration, textboxAttributes } from './editor-parts';

const descriptionLimit = 20_000;

const tools = [
  {
    id: 'bold',
    label: 'Bold',
    shortcut: 'Ctrl+B',
    text: 'B',
    run: (e: Editor) => e.chain().focus().toggleBold().run(),
  },
  {
    id: 'italic',
    label: 'Italic',
    shortcut: 'Ctrl+I',
    text: 'I',
    run: (e: Editor) => e.chain().focus().toggleItalic().run(),
  },
  {
    id: 'heading',
    label: 'Heading',
    shortcut: 'Ctrl+Alt+3',
    text: 'H',
    run: (e: Editor) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  {
    id: 'bulletList',
    label: 'Bulleted list',
    shortcut: 'Ctrl+Shift+8',
    text: '•',
    run: (e: Editor) => e.chain().focus().toggleBulletList().run(),
  },
  {
    id: 'orderedList',
    label: 'Numbered list',
    shortcut: 'Ctrl+Shift+7',
    text: '1.',
    run: (e: Editor) => e.chain().focus().toggleOrderedList().run(),
  },
] as const;

function Toolbar({ editor, controls }: { editor: Editor; controls: string }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      Object.fromEntries(tools.map((t) => [t.id, e.isActive(t.id)])) as Record<string, boolean>,
  });
  return (
    <div className="live-toolbar" role="toolbar" aria-label="Description formatting" aria-controls={controls}>
      {tools.map((tool) => (
        <button
          key={tool.id}
          type="button"
          className={`live-tool live-tool-${tool.id}`}
          aria-pressed={active[tool.id] ?? false}
          aria-label={tool.label}
          aria-keyshortcuts={tool.shortcut.replace('Ctrl', 'Control')}
          title={`${tool.label} (${tool.shortcut})`}
          // Keeps the text selection in the editor while the button is pressed.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => tool.run(editor)}
        >
          <span aria-hidden="true">{tool.text}</span>
        </button>
      ))}
    </div>
  );
}

/** The item's description as rich text (paragraphs, headings, lists, bold, italic…), edited together live. */
export function DescriptionEditor({
  provider,
  text,
  editable,
  id,
  describedBy,
}: {
  provider: HocuspocusProvider;
  text: ItemText;
  editable: boolean;
  id: string;
  describedBy: string;
}) {
  const callbacks = useRef(text);
  callbacks.current = text;
  const editor = useEditor(
    {
      immediatelyRender: false,
      // The base styles are in live-text.css, so no <style> element is injected.
      injectCSS: false,
      editable,
      extensions: [
        // Undo and redo come from Collaboration (per person, over the shared document).
        StarterKit.configure({
          undoRedo: false,
          link: false,
          underline: false,
          heading: { levels: [3, 4, 5] },
        }),
        ...collaboration(provider, 'description', text.user, editable),
      ],
      coreExtensionOptions: { tabindex: { value: '0' } },
      editorProps: {
        attributes: { id, ...textboxAttributes('Description', editable, describedBy, 'description-editor') },
      },
      onUpdate: ({ transaction }) => {
        if (!isChangeOrigin(transaction)) callbacks.current.typed('description');
      },
      onFocus: () => callbacks.current.focused('description'),
      onBlur: () => callbacks.current.focused(null),
    },
    [provider, editable],
  );
  const length = useFieldText(provider, 'description').length;

  return (
    <div className="live-editor">
      {editor && editable ? <Toolbar editor={editor} controls={id} /> : null}
      <EditorContent editor={editor} />
      {length > descriptionLimit ? (
        <p className="field-error" role="status">
          Too long to save: {length.toLocaleString('en')} of {descriptionLimit.toLocaleString('en')}{' '}
          characters. The item keeps the last text that fitted.
        </p>
      ) : null}
    </div>
  );
}
