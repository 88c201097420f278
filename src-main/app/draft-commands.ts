import type { FirmdropApi } from './contract';
import type { DraftFiles } from './draft-files';
import { attempt, type ServiceContext } from './service-context';

type DraftCommands = Pick<FirmdropApi, 'drafts:digest' | 'drafts:forget' | 'images:same-file'>;

/** What a draft card learns before Start: its file's digest, and whether the account has it. */
export function draftCommands(ctx: ServiceContext, files: DraftFiles): DraftCommands {
  return {
    'drafts:digest': ({ ref }) => attempt(() => files.digest(ref)),
    'drafts:forget': ({ ref }) => attempt(() => files.forget(ref)),
    'images:same-file': ({ accountId, sha256 }) =>
      attempt(async () => {
        const dm = await ctx.rt.accounts.clientFor(accountId);
        const page = await dm.listImages({ datafile_checksum__eq: sha256, limit: 10 });
        return page.data
          .filter((image) => image.datafile_checksum === sha256)
          .map((image) => ({ id: image.id, name: image.name }));
      }),
  };
}
