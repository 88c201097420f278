/**
 * Upload request rules, checked before anything is journaled or sent. One function returns every
 * problem per field (for as-you-type validation in the UI); another throws them as one error.
 */
import { chunkSizeProblem } from './chunk-plan';
import { FirmdropError, worded } from './errors';
import { formatCount } from './format';
import { DEFAULT_CHUNK, DESCRIPTION_MAX, FILE_NAME_MAX, NAME_MAX } from './limits';

export type UploadField = 'name' | 'description' | 'fileName' | 'encrypted' | 'chunkSize';

export interface FieldError {
  field: UploadField;
  /** In the window's words (the field is beside it). */
  message: string;
  /** In the command line's words, when they differ (a flag instead of a field). */
  cli?: string;
}

export interface UploadRequestInput {
  /** The file's base name (no directory); also the image name when `name` is omitted. */
  fileName: string;
  name?: string | undefined;
  description?: string | undefined;
  encrypted?: boolean | undefined;
  chunkSize?: number | undefined;
}

/** The request as it will be sent: defaults applied, name normalised. */
export interface UploadRequest {
  name: string;
  description: string;
  fileName: string;
  encrypted: boolean;
  chunkSize: number;
}

// A name is one line of text; line breaks and other controls would be invisible in every list.
const CONTROL = /\p{Cc}/u; // C0 and C1 controls, DEL included

/**
 * Length as the service counts it: Unicode code points (the service is Python, as the guide's
 * `None`/`False` samples show), not UTF-16 units, so an emoji counts as one character.
 */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/**
 * Applies defaults without judging: the name is NFC-normalised (macOS file names arrive
 * decomposed, which would make "é" two characters and a different name) and trimmed (a trailing
 * space is invisible yet makes a different, 409-prone name). The description is kept verbatim.
 */
export function normalizeUploadRequest(input: UploadRequestInput): UploadRequest {
  return {
    name: (input.name ?? input.fileName).normalize('NFC').trim(),
    description: input.description ?? '',
    fileName: input.fileName,
    encrypted: input.encrypted ?? false,
    chunkSize: input.chunkSize ?? DEFAULT_CHUNK,
  };
}

/** Every problem with the request, one entry per broken rule, in field order; empty when valid. */
export function uploadRequestErrors(input: UploadRequestInput): FieldError[] {
  const req = normalizeUploadRequest(input);
  const errors: FieldError[] = [];
  const fromFile = input.name === undefined;
  const nameLength = charCount(req.name);
  if (nameLength === 0 && !fromFile) {
    errors.push({
      field: 'name',
      ...worded('Name is empty.', {
        ui: 'Enter a name for the image, or leave it out to use the file name.',
        cli: 'Give a name with --name NAME, or leave --name out to use the file name.',
      }),
    });
  } else if (nameLength === 0 && req.fileName.length > 0) {
    // An empty file name is reported once, on fileName; a blank one still needs a real name.
    errors.push({
      field: 'name',
      ...worded('The file name is blank, so it cannot be the image name.', {
        ui: 'Enter a name for the image.',
        cli: 'Give the image a name with --name NAME.',
      }),
    });
  } else if (nameLength > NAME_MAX) {
    errors.push({
      field: 'name',
      ...(fromFile
        ? worded(
            `The file name, used as the image name, is ${nameLength} characters; the service allows ${NAME_MAX}.`,
            {
              ui: `Enter a name of at most ${NAME_MAX} characters.`,
              cli: `Give a name of at most ${NAME_MAX} characters with --name NAME.`,
            },
          )
        : {
            message: `Name is ${nameLength} characters; the service allows ${NAME_MAX}. Shorten it by ${nameLength - NAME_MAX}.`,
          }),
    });
  }
  if (CONTROL.test(req.name)) {
    errors.push({
      field: 'name',
      message: 'Name contains a line break, tab or other control character. Remove it.',
    });
  }
  const descLength = charCount(req.description);
  if (descLength > DESCRIPTION_MAX) {
    errors.push({
      field: 'description',
      message: `Description is ${formatCount(descLength)} characters; the service allows ${formatCount(DESCRIPTION_MAX)}. Shorten it by ${formatCount(descLength - DESCRIPTION_MAX)}.`,
    });
  }
  const fileLength = charCount(req.fileName);
  if (fileLength === 0) {
    errors.push({
      field: 'fileName',
      message: 'No file is chosen. Choose the firmware file to upload.',
    });
  } else if (fileLength > FILE_NAME_MAX) {
    errors.push({
      field: 'fileName',
      ...worded(`File name is ${fileLength} characters; the service allows ${FILE_NAME_MAX}.`, {
        ui: `Rename the file ${fileLength - FILE_NAME_MAX} characters shorter and choose it again.`,
        cli: `Rename the file ${fileLength - FILE_NAME_MAX} characters shorter.`,
      }),
    });
  }
  // Checked at run time too: requests arrive from IPC, the web bridge and the CLI.
  if (typeof req.encrypted !== 'boolean') {
    errors.push({
      field: 'encrypted',
      message: 'Encryption must be either on or off (true or false).',
    });
  }
  const chunkProblem = chunkSizeProblem(req.chunkSize);
  if (chunkProblem !== null) errors.push({ field: 'chunkSize', message: chunkProblem });
  return errors;
}

/** The normalised request, or a FirmdropError('invalid-input') whose message lists every problem. */
export function assertValidUploadRequest(input: UploadRequestInput): UploadRequest {
  const errors = uploadRequestErrors(input);
  if (errors.length > 0) {
    throw new FirmdropError('invalid-input', errors.map((e) => e.message).join(' '), {
      cli: errors.map((e) => e.cli ?? e.message).join(' '),
    });
  }
  return normalizeUploadRequest(input);
}
