/** The browser tab's title: the view first, then the page, then the product. */
export function setTitle(...parts: string[]): void {
  document.title = [...parts.filter(Boolean), 'dm-policy'].join(' · ');
}
