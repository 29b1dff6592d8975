import type { HocuspocusProvider } from '@hocuspocus/provider';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type ItemText, useFieldText } from '~/collab/use-item-text';
import type { ParsedCriteria } from '~/domain/gherkin';
import {
  CriteriaErrorLines,
  collaboration,
  linesSlice,
  setErrorLines,
  textboxAttributes,
} from './editor-parts';

const criteriaLimit = 50_000;

/** Gherkin source is plain lines: the editor has paragraphs and text only, no marks, no other blocks. */
const plainLines = StarterKit.configure({
  undoRedo: false,
  blockquote: false,
  bold: false,
  bulletList: false,
  code: false,
  codeBlock: false,
  hardBreak: false,
  heading: false,
  horizontalRule: false,
  italic: false,
  listItem: false,
  listKeymap: false,
  link: false,
  orderedList: false,
  strike: false,
  underline: false,
  trailingNode: false,
  dropcursor: false,
  gapcursor: false,
});

/** Parses in the browser with the same Cucumber parser as the server; loaded on first use, not with the page. */
function useParsed(source: string): { result: ParsedCriteria; source: string } | null {
  const [parsed, setParsed] = useState<{ result: ParsedCriteria; source: string } | null>(null);
  useEffect(() => {
    let current = true;
    import('~/domain/gherkin').then(({ parseCriteria }) => {
      if (current) setParsed({ result: parseCriteria(source), source });
    });
    return () => {
      current = false;
    };
  }, [source]);
  return parsed;
}

/** The acceptance criteria as Gherkin, one line per paragraph, with parse errors shown live at their line. */
export function CriteriaEditor({
  provider,
  text,
  editable,
  id,
  hintId,
  onParsed,
}: {
  provider: HocuspocusProvider;
  text: ItemText;
  editable: boolean;
  id: string;
  hintId: string;
  /** told each parse of the live text, so other parts of the page can follow it */
  onParsed?: (parsed: ParsedCriteria, source: string) => void;
}) {
  const callbacks = useRef(text);
  callbacks.current = text;
  const statusId = `${id}-status`;
  const editor = useEditor(
    {
      immediatelyRender: false,
      injectCSS: false,
      editable,
      extensions: [
        plainLines,
        CriteriaErrorLines,
        ...collaboration(provider, 'criteria', text.user, editable),
      ],
      coreExtensionOptions: { tabindex: { value: '0' }, clipboardTextSerializer: { blockSeparator: '\n' } },
      editorProps: {
        attributes: {
          id,
          ...textboxAttributes(
            'Acceptance criteria (Gherkin)',
            editable,
            `${hintId} ${statusId}`,
            'criteria-editor',
          ),
        },
        // Pasted text keeps every line, blank ones included, so line numbers stay what they were.
        handlePaste: (view, event) => {
          const pasted = event.clipboardData?.getData('text/plain');
          if (!pasted) return false;
          view.dispatch(
            view.state.tr.replaceSelection(linesSlice(view.state.schema, pasted)).scrollIntoView(),
          );
          return true;
        },
      },
      onUpdate: ({ transaction }) => {
        if (!isChangeOrigin(transaction)) callbacks.current.typed('criteria');
      },
      onFocus: () => callbacks.current.focused('criteria'),
      onBlur: () => callbacks.current.focused(null),
    },
    [provider, editable],
  );
  const source = useFieldText(provider, 'criteria');
  const parsed = useParsed(source);
  const errors = useMemo(() => (parsed && !parsed.result.ok ? parsed.result.errors : []), [parsed]);
  const onParsedRef = useRef(onParsed);
  onParsedRef.current = onParsed;
  useEffect(() => {
    if (parsed) onParsedRef.current?.(parsed.result, parsed.source);
  }, [parsed]);

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setErrorLines(
      editor.view,
      new Map(errors.flatMap((e) => (e.line ? [[e.line, e.message] as const] : []))),
    );
    const attributes = editor.options.editorProps.attributes as Record<string, string>;
    if (attributes['aria-invalid'] !== String(errors.length > 0)) {
      editor.setOptions({
        editorProps: {
          ...editor.options.editorProps,
          attributes: { ...attributes, 'aria-invalid': String(errors.length > 0) },
        },
      });
    }
  }, [editor, errors]);

  return (
    <div className="live-editor">
      <EditorContent editor={editor} />
      <div id={statusId} className="criteria-status" aria-live="polite">
        {parsed === null ? null : errors.length > 0 ? (
          <div className="criteria-errors">
            <ul>
              {errors.map((e) => (
                <li key={`${e.line}-${e.column}-${e.message}`}>
                  <strong>{e.line ? `Line ${e.line}` : 'Criteria'}:</strong> {e.message}
                </li>
              ))}
            </ul>
            <p>While the criteria do not parse, the item keeps its last valid criteria.</p>
          </div>
        ) : (
          <p className="criteria-ok">
            {parsed.result.ok && parsed.result.scenarios.length > 0
              ? `Valid Gherkin: ${parsed.result.scenarios.length} ${parsed.result.scenarios.length === 1 ? 'scenario' : 'scenarios'}.`
              : 'No scenarios yet.'}
          </p>
        )}
        {source.length > criteriaLimit ? (
          <p className="field-error">
            Too long to save: {source.length.toLocaleString('en')} of {criteriaLimit.toLocaleString('en')}{' '}
            characters.
          </p>
        ) : null}
      </div>
    </div>
  );
}
