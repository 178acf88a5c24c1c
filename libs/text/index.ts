export { Text } from './messages.js';
export { uiText, type UiText, type UiTextType } from './ui-text.js';
