import type { UploadView } from '../../src-main/app/contract';

/**
 * What events did to the uploads while one `uploads:list` was on its way: the list's answer and
 * the events travel apart, so the answer may be older than what the events already told.
 */
export class ListRace {
  private readonly upserted = new Set<string>();
  private readonly removed = new Set<string>();

  sawUpsert(id: string): void {
    this.upserted.add(id);
  }

  sawRemove(id: string): void {
    this.removed.add(id);
  }

  /**
   * The service's list, except for what events told meanwhile: a newer view of an upload is
   * kept (see UploadView.revision), an upload added meanwhile stays although the list does not
   * name it, and one removed meanwhile does not come back. Anything else the list does not name
   * is gone (deleted while the event stream was down).
   */
  merge(listed: readonly UploadView[], known: readonly UploadView[]): UploadView[] {
    const byId = new Map(known.map((u) => [u.id, u]));
    const listedIds = new Set(listed.map((u) => u.id));
    const kept = listed
      .filter((u) => !this.removed.has(u.id))
      .map((u) => {
        const mine = byId.get(u.id);
        return mine && mine.revision > u.revision ? mine : u;
      });
    const added = known.filter((u) => !listedIds.has(u.id) && this.upserted.has(u.id));
    return [...kept, ...added];
  }
}
