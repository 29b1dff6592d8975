import { useEffect, useId, useRef, useState } from 'react';

/** A read-only field with a copy button; the text can also be selected and copied by hand. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} ref={input} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button button-secondary"
          onClick={async () => {
            input.current?.select();
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
            } catch {
              document.execCommand?.('copy');
              setCopied(true);
            }
          }}
        >
          Copy
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {copied ? 'Copied to the clipboard.' : '\u00a0'}
      </p>
    </div>
  );
}
