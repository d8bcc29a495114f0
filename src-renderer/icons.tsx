/** Small line icons drawn inline: no icon font, no emoji that a computer may lack. */
const common = {
  width: 22,
  height: 22,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false,
};

export function EyeIcon() {
  return (
    <svg {...common}>
      <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" />
      <circle cx="12" cy="12" r="3" />
    </svg>
  );
}

export function BinIcon() {
  return (
    <svg {...common}>
      <path d="M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14M10 11v6M14 11v6" />
    </svg>
  );
}

export function FileIcon() {
  return (
    <svg {...common}>
      <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z" />
      <path d="M14 2v6h6" />
    </svg>
  );
}

/** Two arrows going round: one document takes the place of another. */
export function ReplaceIcon() {
  return (
    <svg {...common}>
      <path d="M4 9a8 8 0 0 1 14-3l2 2M20 4v4h-4" />
      <path d="M20 15a8 8 0 0 1-14 3l-2-2M4 20v-4h4" />
    </svg>
  );
}
