import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { uploadRequestErrors } from '../core/validation';
import { isDmNetworkError } from '../dm/errors';
import { freeNameFor, nameInUse, takenMessage } from '../upload/name-check';
import type { FieldProblem, FirmdropApi } from './contract';
import type { CancelWindow } from './cancel-window';
import { planTargets, TargetsRefused, type TargetInput } from './fanout-plan';
import { attempt, uploadOf, type ServiceContext } from './service-context';

type UploadCommands = Pick<
  FirmdropApi,
  | 'uploads:validate'
  | 'uploads:add'
  | 'uploads:list'
  | 'uploads:pause'
  | 'uploads:resume'
  | 'uploads:cancel'
  | 'uploads:undo-cancel'
  | 'uploads:retry'
  | 'uploads:clear-finished'
>;

export function uploadCommands(ctx: ServiceContext, cancels: CancelWindow): UploadCommands {
  const { engine, store, accounts } = ctx.rt;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  return {
    'uploads:validate': (draft) =>
      attempt(async () => {
        const problems: FieldProblem[] = uploadRequestErrors({
          fileName: draft.fileName,
          name: draft.name,
          description: draft.description,
        }).flatMap((e) =>
          e.field === 'name' || e.field === 'description' || e.field === 'fileName'
            ? [{ field: e.field, message: e.message }]
            : [],
        );
        const name = draft.name.normalize('NFC').trim() || draft.fileName;
        if (problems.some((p) => p.field === 'name') || !draft.accountId) return problems;
        try {
          const dm = await accounts.clientFor(draft.accountId);
          const use = await nameInUse(dm, name);
          if (use.image || use.job) {
            const free = await freeNameFor(dm, name);
            problems.push({
              field: 'name',
              message: takenMessage(name, use, free),
              ...(free ? { suggestion: free } : {}),
            });
          }
        } catch (err) {
          // As-you-type checks are advice: offline, the upload's own pre-flight decides later.
          if (!isDmNetworkError(err)) throw err;
        }
        return problems;
      }),

    'uploads:add': ({ uploads, partial }) =>
      attempt(async () => {
        // All or nothing (unless `partial`): every target is checked first (names within the
        // batch included), then the batch is journaled in one transaction, so a refusal leaves
        // nothing half-added.
        const inputs = uploads.map((item): TargetInput => {
          const filePath = ctx.resolveFile(item.file.ref);
          if (!filePath) {
            throw new FirmdropError(
              'file-missing',
              `"${item.file.fileName}" is no longer available to Firmdrop. Drop it again.`,
            );
          }
          return {
            accountId: item.accountId,
            filePath,
            fileName: item.file.fileName,
            name: item.name,
            description: item.description,
            encrypt: item.encrypt,
            // Offline start: journaled now, checked with the server when its host answers.
            allowOffline: true,
          };
        });
        const { planned, refused } = await planTargets(ctx.rt, inputs);
        if (refused.length > 0 && (!partial || planned.length === 0)) {
          throw new TargetsRefused(refused, inputs);
        }
        for (const t of refused) {
          ctx.hub.emit('notice', {
            level: 'warning',
            message: `Not sent to "${t.accountName}": ${t.fileName}: ${t.message}`,
          });
        }
        const rows = store.transaction(() => planned.map((p) => store.uploads.createUpload(p.row)));
        rows.forEach((row) => engine.enqueue(row.id));
        return rows.map((row) => ctx.view(row.id));
      }),

    'uploads:list': () =>
      attempt(() => store.uploads.listUploads({ limit: 1000 }).map((u) => ctx.view(u.id))),
    'uploads:pause': ({ id }) =>
      attempt(() => {
        cancels.assertNotPending(id);
        engine.pause(uploadOf(ctx, id).id);
      }),
    'uploads:resume': ({ id }) =>
      attempt(() => {
        cancels.assertNotPending(id);
        engine.resume(uploadOf(ctx, id).id);
      }),
    'uploads:cancel': ({ id }) =>
      attempt(async () => ({ cancelAt: iso(await cancels.request(uploadOf(ctx, id).id)) })),
    'uploads:undo-cancel': ({ id }) => attempt(() => cancels.undo(uploadOf(ctx, id).id)),
    'uploads:retry': ({ id, name }) =>
      attempt(async () => {
        cancels.assertNotPending(id);
        const u = uploadOf(ctx, id);
        if (name !== undefined && name.trim() !== u.name) {
          const problems = uploadRequestErrors({ fileName: basename(u.filePath), name });
          const bad = problems.find((p) => p.field === 'name');
          if (bad) throw new FirmdropError('invalid-input', bad.message);
          await engine.retry(id, { name: name.normalize('NFC').trim() });
        } else {
          await engine.retry(id);
        }
      }),
    // Only the queue is tidied: the rows stay as the local history ("Delete history" removes them).
    'uploads:clear-finished': () =>
      attempt(() => {
        for (const id of store.uploads.hideFinished()) ctx.hub.emit('upload:changed', ctx.view(id));
      }),
  };
}
