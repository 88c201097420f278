import type { CommandLineApp, ListUploadsOptions, Upload } from '../../app/command-line';

/** The journal answers at most this many rows a page. */
const PAGE = 1000;

/** Up to `count` uploads, newest first, over as many journal pages as that takes. */
export function listUploads(
  app: CommandLineApp,
  o: Omit<ListUploadsOptions, 'limit' | 'before'>,
  count: number,
): Upload[] {
  const out: Upload[] = [];
  let before: string | undefined;
  while (out.length < count) {
    const limit = Math.min(PAGE, count - out.length);
    const page = app.uploads.list({ ...o, before, limit });
    out.push(...page);
    // A short page is the journal's end.
    if (page.length < limit) break;
    before = page.at(-1)?.id;
  }
  return out;
}
