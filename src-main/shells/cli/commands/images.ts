import { formatBytes } from '../../../core/format';
import { manifestPayload, manifestYaml } from '../../../app/command-line';
import type { FirmwareImage } from '../../../app/command-line';
import { countOption, expectPositionals, parseCommand, stringOption } from '../args';
import { formatFields, formatIsoTime, formatTable, printJson, printLine } from '../output';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';
import { withAccount } from '../with-account';

const SYNOPSIS =
  'firmdrop images list [--limit N] | images show <ID> [--manifest-tool] | images delete <ID>  [--account NAME]';

const imageId = (rest: string[]) =>
  idArgument(
    expectPositionals(rest, ['ID'], SYNOPSIS)[0] as string,
    'ID',
    '"firmdrop images list"',
  );

/** `firmdrop images`: the firmware images the account holds on the server. */
export async function imagesCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    {
      account: { type: 'string' },
      limit: { type: 'string' },
      'manifest-tool': { type: 'boolean' },
    },
    SYNOPSIS,
  );
  const [sub, ...rest] = positionals;
  const account = stringOption(values, 'account');
  if (values['manifest-tool'] === true && sub !== 'show') {
    throw new CliUsageError(`--manifest-tool goes with "images show <ID>". Usage: ${SYNOPSIS}`);
  }
  if (sub === 'list' || sub === undefined) {
    expectPositionals(rest, [], SYNOPSIS);
    const max = countOption('limit', stringOption(values, 'limit'), 100_000);
    const images = await withAccount(global, account, (app, a) => app.server.listImages(a.id, max));
    if (global.json) printJson(images);
    else if (images.length === 0) printLine('The account holds no firmware images.');
    else printLine(imagesTable(images));
    return 0;
  }
  if (sub === 'show' && values['manifest-tool'] === true) {
    const id = imageId(rest);
    const target = await withAccount(global, account, (app, a) => app.manifest.forImage(a.id, id));
    if (global.json) {
      printJson({
        account: target.account.name,
        image_id: target.image.id,
        datafile_size: target.image.datafileSize,
        datafile_checksum: target.image.datafileChecksum,
        payload: manifestPayload(target),
      });
    } else printLine(manifestYaml([target]).trimEnd());
    return 0;
  }
  if (sub === 'show') {
    const id = imageId(rest);
    const image = await withAccount(global, account, (app, a) => app.server.getImage(a.id, id));
    if (global.json) printJson(image);
    else printLine(imageFields(image));
    return 0;
  }
  if (sub === 'delete') {
    const id = imageId(rest);
    await withAccount(global, account, (app, a) => app.server.deleteImage(a.id, id));
    if (global.json) printJson({ deleted: id });
    else printLine(`Deleted firmware image ${id}.`);
    return 0;
  }
  throw new CliUsageError(`unknown images subcommand "${sub}". Usage: ${SYNOPSIS}`);
}

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
