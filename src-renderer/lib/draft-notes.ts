/** The "already on this account" warning of a draft target, or null when the account has none. */
export function sameFileText(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const shown = names.slice(0, 3).map((n) => `“${n}”`);
  const more = names.length - shown.length;
  return `Already on this account as ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}. Uploading it again makes a second image of the same build.`;
}
