/** `incoming` without the items whose id `existing` already has, in order. */
export function onlyNew<T extends { id: string }>(
  existing: readonly T[],
  incoming: readonly T[],
): T[] {
  const seen = new Set(existing.map((x) => x.id));
  return incoming.filter((x) => !seen.has(x.id));
}
