import { useState } from 'react';

/** Copies `text` to the clipboard and says so for two seconds (or says why it could not). */
export default function CopyButton({ text, testId, label }: { text: string; testId: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button
      type="button"
      className="button button--outline button--secondary button--sm"
      aria-label={label}
      data-testid={testId}
      onClick={() => void copy()}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
