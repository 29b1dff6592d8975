import type { LiveStatus } from '~/collab/use-live-backlog';

const texts: Record<LiveStatus, { text: string; title: string }> = {
  connecting: { text: 'Connecting…', title: 'Connecting to live updates' },
  live: { text: 'Live', title: 'Changes by others appear here as they happen' },
  reconnecting: {
    text: 'Reconnecting…',
    title: 'The live connection was lost; changes appear again once it is back',
  },
  offline: {
    text: 'Not live',
    title: 'Live updates are not available; reload the page to see changes by others',
  },
};

/** Whether the view follows changes by others: in words, with the colour only as a second cue. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { text, title } = texts[status];
  return (
    <p className={`live-status live-${status}`} title={title} aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      <span className="visually-hidden">Live updates: </span>
      {text}
    </p>
  );
}
