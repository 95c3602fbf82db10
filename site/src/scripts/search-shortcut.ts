// "/" or Ctrl+K (⌘K on a Mac) from anywhere on the page puts the cursor in the search box.
// "/" is left alone while the visitor types in a field, where it is just a character.
const isTypingField = (el: Element | null) =>
  el instanceof HTMLElement && (el.isContentEditable || el.matches('input, textarea, select'));

export function focusSearchOnShortcut(input: HTMLInputElement): void {
  input.setAttribute('aria-keyshortcuts', '/ Control+K Meta+K');
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing || e.altKey) return;
    const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !isTypingField(document.activeElement);
    const commandK = e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.shiftKey;
    if (!slash && !commandK) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
}
