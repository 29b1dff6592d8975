import type { HocuspocusProvider } from '@hocuspocus/provider';
import { Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Fragment, type Schema, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { type AwarenessUser, colorClass, type TextField } from '~/collab/use-item-text';

/**
 * Another person's caret: built with DOM calls (text nodes, classes), never from HTML, so a name is only ever text.
 * The colour comes from a class (see live-text.css), so carets need no inline style.
 */
function caret(user: Record<string, unknown>): HTMLElement {
  const cursor = document.createElement('span');
  // Someone who only follows the text (read-only) has no caret worth showing.
  cursor.className = `live-caret ${colorClass(user.color)}${user.readOnly === true ? ' live-caret-viewer' : ''}`;
  cursor.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'live-caret-label';
  label.append(document.createTextNode(String(user.name ?? 'Someone').slice(0, 80)));
  cursor.append(label);
  return cursor;
}

const selection = (user: Record<string, unknown>) =>
  user.readOnly === true ? {} : { nodeName: 'span', class: `live-selection ${colorClass(user.color)}` };

/** Binds an editor to one fragment of the item's document, with everyone's named, coloured carets. */
export function collaboration(
  provider: HocuspocusProvider,
  field: TextField,
  user: AwarenessUser,
  editable: boolean,
) {
  return [
    Collaboration.configure({ document: provider.document, field }),
    CollaborationCaret.configure({
      provider,
      user: { ...user, readOnly: !editable },
      render: caret,
      selectionRender: selection,
    }),
  ];
}

/** The attributes of an editor's contenteditable element: it is a multi-line text box with a name. */
export function textboxAttributes(
  label: string,
  editable: boolean,
  describedBy: string,
  className: string,
): Record<string, string> {
  return {
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    'aria-readonly': editable ? 'false' : 'true',
    'aria-describedby': describedBy,
    spellcheck: className.includes('criteria') ? 'false' : 'true',
    class: `live-editor-content ${className}`,
  };
}

// ---- criteria: one paragraph per line ------------------------------------------------------------------

/** Plain text as a slice of one paragraph per line (blank lines kept), open at both ends so it joins the lines around it. */
export function linesSlice(schema: Schema, text: string): Slice {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const paragraphs = lines.map((line) =>
    schema.nodes.paragraph.create(null, line ? schema.text(line) : null),
  );
  return new Slice(Fragment.from(paragraphs), 1, 1);
}

const errorLinesKey = new PluginKey<{ lines: Map<number, string>; decorations: DecorationSet }>(
  'criteriaErrorLines',
);

function errorDecorations(doc: import('@tiptap/pm/model').Node, lines: Map<number, string>) {
  if (lines.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.forEach((node, offset, index) => {
    const message = lines.get(index + 1);
    if (message !== undefined) {
      decorations.push(
        Decoration.node(offset, offset + node.nodeSize, {
          class: 'criteria-error-line',
          'data-error': message,
        }),
      );
    }
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Marks the lines (top-level paragraphs, 1-based) that have a parse error. Lines are set with `setErrorLines`;
 * while the text changes, the marks are recomputed on the same line numbers until the next parse.
 */
export const CriteriaErrorLines = Extension.create({
  name: 'criteriaErrorLines',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: errorLinesKey,
        state: {
          init: () => ({ lines: new Map<number, string>(), decorations: DecorationSet.empty }),
          apply(tr, value, _old, state) {
            const lines = (tr.getMeta(errorLinesKey) as Map<number, string> | undefined) ?? value.lines;
            if (lines === value.lines && !tr.docChanged) return value;
            return { lines, decorations: errorDecorations(state.doc, lines) };
          },
        },
        props: {
          decorations: (state) => errorLinesKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});

export function setErrorLines(view: import('@tiptap/pm/view').EditorView, lines: Map<number, string>) {
  view.dispatch(view.state.tr.setMeta(errorLinesKey, lines).setMeta('addToHistory', false));
}
