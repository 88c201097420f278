import { inProcessEngine } from './in-process';
import type { WanClientInput, WanClientResult } from './wan-clients';

/**
 * Firmdrop's engine in this process, as the desktop app runs an upload on Start (in-process.ts):
 * a stored account, the batch pre-flight, then the queue, with adaptive chunk sizes (the
 * default). Everything the CLI does but starting a process and asking `accounts/me` for an
 * environment key: the SHA-256 and each chunk's MD5 are computed on the clock, the image is
 * verified and the job deleted. Its clock starts where the ceilings' does, before the first
 * connection is opened (cold, where the app's name checks would usually have warmed them).
 */
export async function engineUpload(
  input: WanClientInput & { work: string },
): Promise<WanClientResult> {
  const engine = inProcessEngine({
    work: input.work,
    baseUrl: input.endpoint.base,
    apiKey: input.apiKey,
    ca: input.endpoint.ca,
    adaptive: true,
  });
  try {
    const { seconds, uploads } = await engine.run([{ filePath: input.file, name: input.name }]);
    const [done] = uploads;
    if (!done?.imageId) throw new Error('the in-process upload has no image');
    return {
      seconds,
      chunks: engine.store.uploads.listChunks(done.id).length,
      imageId: done.imageId,
      datafileSize: done.datafileSize ?? -1,
    };
  } finally {
    await engine.close();
  }
}
