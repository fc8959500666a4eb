// The shells `completion` writes scripts for, apart from the generator so parsing does not load it.
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
