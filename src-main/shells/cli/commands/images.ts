import { formatBytes } from '../../../core/format';
import { manifestPayload, manifestYaml } from '../../../app/command-line';
import type { FirmwareImage, ManifestTarget } from '../../../app/command-line';
import { openContext } from '../context';
import { accountNames } from '../target-accounts';
import {
  countOption,
  expectPositionals,
  parseCommand,
  stringOption,
  type GlobalOptions,
} from '../args';
import { deleteServerObject } from '../delete-server-object';
import { IMAGE, findImage } from '../find-server-object';
import { assertPrefixLength } from '../id-prefix';
import {
  formatFields,
  formatIsoTime,
  formatTable,
  printJson,
  printLine,
  printMoreNote,
  raiseLimit,
} from '../output';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';
import { withAccount } from '../with-account';

const SYNOPSIS =
  'firmdrop images list [--name N] [--limit N] | images show <ID|NAME> [--manifest-tool] | images delete <ID> [--yes]  [--account NAME]';

const LIMIT_MAX = 100_000;

/** `firmdrop images`: the firmware images the account holds on the server. */
export async function imagesCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    {
      account: { type: 'string' },
      limit: { type: 'string' },
      'manifest-tool': { type: 'boolean' },
      name: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
    },
    SYNOPSIS,
  );
  const [sub, ...rest] = positionals;
  const account = stringOption(values, 'account');
  if (values['manifest-tool'] === true && sub !== 'show') {
    throw new CliUsageError(
      `--manifest-tool goes with "images show <ID|NAME>". Usage: ${SYNOPSIS}`,
    );
  }
  if (sub === 'list' || sub === undefined) {
    expectPositionals(rest, [], SYNOPSIS);
    const max = countOption('limit', stringOption(values, 'limit'), LIMIT_MAX);
    const name = stringOption(values, 'name');
    const { items, more } = await withAccount(global, account, (app, a) =>
      app.server.listImages(a.id, { max, name }),
    );
    if (global.json) printJson(items);
    else if (items.length === 0) printLine(noImages(name));
    else printLine(imagesTable(items));
    if (more)
      printMoreNote(global, items.length, 'images', raiseLimit(items.length, LIMIT_MAX, true));
    return 0;
  }
  if (sub === 'show') {
    // A name may hold any character the service allows: only an id is checked as one.
    const text = expectPositionals(rest, ['ID or NAME'], SYNOPSIS)[0] as string;
    if (text.trim() === '') throw new CliUsageError(`give an image id or name. Usage: ${SYNOPSIS}`);
    if (values['manifest-tool'] === true) return showManifestPayload(global, account, text);
    const image = await withAccount(global, account, (app, a) =>
      findImage(app, a.id, text, { byName: true }),
    );
    if (global.json) printJson(image);
    else printLine(imageFields(image));
    return 0;
  }
  if (sub === 'delete') {
    const id = idArgument(
      expectPositionals(rest, ['ID'], SYNOPSIS)[0] as string,
      'ID',
      '"firmdrop images list"',
    );
    assertPrefixLength(id, IMAGE);
    return deleteServerObject({
      global,
      account,
      command: 'firmdrop images delete',
      kind: 'firmware image',
      yes: values.yes === true,
      find: (app, a) => findImage(app, a.id, id, { byName: false }),
      remove: (app, a, image) => app.server.deleteImage(a.id, image.id),
    });
  }
  throw new CliUsageError(`unknown images subcommand "${sub}". Usage: ${SYNOPSIS}`);
}

/** `images show ID|NAME --manifest-tool`: the payload section for manifest-tool's config. */
async function showManifestPayload(
  global: GlobalOptions,
  account: string | undefined,
  text: string,
): Promise<number> {
  // `--account a,b`: the same image (by name) on each account of a fan-out, labelled by account.
  const names = accountNames(account) ?? [undefined];
  const ctx = openContext(global);
  let targets: ManifestTarget[];
  try {
    const accounts = [];
    for (const name of names) accounts.push(await ctx.selectAccount(name));
    targets = await Promise.all(
      accounts.map(async (a) => {
        const image = await findImage(ctx.app, a.id, text, { byName: true });
        return ctx.app.manifest.forImage(a.id, image.id);
      }),
    );
  } finally {
    await ctx.close();
  }
  if (global.json) {
    const rows = targets.map((t) => ({
      account: t.account.name,
      image_id: t.image.id,
      datafile_size: t.image.datafileSize,
      datafile_checksum: t.image.datafileChecksum,
      payload: manifestPayload(t),
    }));
    // One account: the object as before; several: one object per account.
    printJson(names.length === 1 ? rows[0] : rows);
  } else printLine(manifestYaml(targets).trimEnd());
  return 0;
}

const noImages = (name: string | undefined) =>
  name === undefined
    ? 'The account holds no firmware images.'
    : `The account holds no firmware image named "${name}".`;

function imagesTable(images: FirmwareImage[]): string {
  return formatTable(
    [
      { header: 'ID' },
      { header: 'NAME', max: 40 },
      { header: 'SIZE', align: 'right' },
      { header: 'ENCRYPTED' },
      { header: 'CREATED' },
      { header: 'SHA-256', max: 17 },
    ],
    images.map((i) => [
      i.id,
      i.name,
      i.datafile_size === null ? '' : formatBytes(i.datafile_size),
      i.datafile_encryption ? 'yes' : 'no',
      formatIsoTime(i.created_at),
      i.datafile_checksum,
    ]),
  );
}

function imageFields(i: FirmwareImage): string {
  const fields: Array<[string, string]> = [
    ['id', i.id],
    ['name', i.name],
    ['description', i.description],
    ['datafile', i.datafile],
    [
      'datafile_size',
      i.datafile_size === null ? '' : `${i.datafile_size} (${formatBytes(i.datafile_size)})`,
    ],
    ['datafile_checksum', i.datafile_checksum],
    ['encrypted', i.datafile_encryption ? 'yes' : 'no'],
  ];
  if (i.datafile_encryption) {
    fields.push(
      ['encrypted_datafile_size', String(i.encrypted_datafile_size ?? '')],
      ['encrypted_datafile_checksum', i.encrypted_datafile_checksum ?? ''],
    );
  }
  fields.push(['created_at', i.created_at], ['updated_at', i.updated_at]);
  return formatFields(fields);
}
