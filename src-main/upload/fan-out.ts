import { isTerminal } from '../core/upload-state';
import type { Store, Upload } from '../store';
import { openChunkReader, type OpenChunkReader } from './chunk-reader';
import { SharedFile } from './shared-file';

/**
 * The engine's fan-outs: for each group (one file sent to several accounts) the one SharedFile
 * its targets read and hash through. Each target is still its own run, journal row and lease; a
 * target resumed by another process (or alone) simply reads the file for itself.
 */
export class FanOuts {
  private readonly files = new Map<string, { groupId: string; file: SharedFile }>();

  constructor(
    private readonly store: Store,
    private readonly openReal: OpenChunkReader = openChunkReader,
  ) {}

  /** The shared file of an upload of a fan-out; null for an upload to one account. */
  for(u: Upload): SharedFile | null {
    if (u.groupId === null) return null;
    // The file's identity is in the key: a file that changed is read afresh, never mixed.
    const key = [u.groupId, u.filePath, u.fileSize, u.fileMtimeMs].join('\0');
    let entry = this.files.get(key);
    if (!entry) {
      // Blocks are kept for the targets still to send (a lone resume keeps none).
      const targets = this.store.uploads
        .listGroup(u.groupId)
        .filter((m) => !isTerminal(m.state)).length;
      entry = { groupId: u.groupId, file: new SharedFile(u.filePath, this.openReal, targets) };
      this.files.set(key, entry);
    }
    return entry.file;
  }

  /** Lets go of the fan-outs none of whose uploads this engine still works on. */
  tidy(works: (uploadId: string) => boolean): void {
    for (const [key, { groupId, file }] of this.files) {
      if (this.store.uploads.listGroup(groupId).some((u) => works(u.id))) continue;
      this.files.delete(key);
      void file.dispose();
    }
  }

  get size(): number {
    return this.files.size;
  }
}
