export type UiTextType = 'info' | 'error' | 'success';

/** The contract's `uiText`: UIs translate by `id`; `text` is the English fallback. */
export interface UiText {
  id: number;
  text: string;
  type: UiTextType;
  context?: Record<string, unknown>;
}

export function uiText(
  id: number,
  text: string,
  type: UiTextType,
  context?: Record<string, unknown>,
): UiText {
  return context && Object.keys(context).length > 0 ? { id, text, type, context } : { id, text, type };
}
