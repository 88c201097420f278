import type { FieldProblem } from '../../src-main/app/contract';

/** The service's limits (DESIGN.md), checked here too so counters react at the first keystroke. */
export const NAME_MAX = 128;
export const DESCRIPTION_MAX = 2000;

export function checkDraftLocally(d: {
  name: string;
  description: string;
  accountId: string;
  file?: { fileName: string; size: number };
}): FieldProblem[] {
  const found: FieldProblem[] = [];
  // The same words the engine uses (upload/file-identity.ts), said before Start instead of after.
  if (d.file?.size === 0)
    found.push({
      field: 'fileName',
      message: `"${d.file.fileName}" is empty (0 bytes). The service cannot hold an empty image: choose the built image file.`,
    });
  if (d.name.trim() === '') found.push({ field: 'name', message: 'Give the image a name.' });
  else if (d.name.length > NAME_MAX)
    found.push({
      field: 'name',
      message: `The name is ${d.name.length} characters; the service allows ${NAME_MAX}. Shorten it.`,
    });
  if (d.description.length > DESCRIPTION_MAX)
    found.push({
      field: 'description',
      message: `The description is ${d.description.length} characters; the service allows ${DESCRIPTION_MAX}. Shorten it.`,
    });
  if (d.accountId === '') found.push({ field: 'account', message: 'Choose an account.' });
  return found;
}

/** Local findings win for their field: they describe what is on screen right now. */
export function mergeProblems(local: FieldProblem[], server: FieldProblem[]): FieldProblem[] {
  const fields = new Set(local.map((p) => p.field));
  return [...local, ...server.filter((p) => !fields.has(p.field))];
}
