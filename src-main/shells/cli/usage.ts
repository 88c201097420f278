/** A mistake in how the command was called: exit code 2 and a one-line hint. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** `--help` given to a command: print the usage text and exit 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

export const USAGE = `firmdrop — resumable, verified firmware uploads to Izuma Device Management

Usage: firmdrop [--json] [--quiet] [--data-dir DIR] <command> [options]

Uploads:
  upload <file>... [--name N] [--description D] [--encrypt] [--chunk-size MiB] [--account NAME]
         [--limit-rate RATE] [--wait[=DURATION]] [--account A,B,... | --all-accounts] [--partial]
                      check every file first (readable, not empty, name free, room in the
                      account), then upload them all, verify size and SHA-256; exit 0 only when
                      every file is uploaded and verified. --name only with one file.
                      --wait: if the service cannot be reached, journal the upload and wait for
                      it (at most DURATION: 90, 30s, 15m, 2h) instead of failing at once.
                      --chunk-size fixes the chunk size; without it sizes adapt to the link.
                      --limit-rate caps the upload's bandwidth: 10M, 500K (bytes/s, 1024-based)
                      --account A,B / --all-accounts: the same file(s) to each account, read
                      once; all or none pass pre-flight unless --partial
  resume [UPLOAD_ID] [--account NAME] [--name N] [--limit-rate RATE]
                      finish uploads that were interrupted (killed, Ctrl+C, lost network),
                      paused or failed, from what the server holds; --name renames a failed one.
                      Uploads another running Firmdrop works on are named and left to it
  uploads [--state S] [--account NAME] [--limit N]
                      the local journal: id, state, name, size, account, verified, created, error
  uploads cancel <UPLOAD_ID>
                      stop an unfinished upload for good and delete its upload job on the server

Server side (of the chosen account, --account NAME):
  images list [--limit N]
                      the firmware images the account holds, newest first
  images show <ID>    one image: datafile URL, size, SHA-256, encryption
  images delete <ID>
  jobs list [--limit N]
                      the account's upload jobs, newest first
  jobs show <ID>
  jobs chunks <ID>    the chunks the server holds for a job: id, length, MD5
  jobs delete <ID>

Accounts (API keys are kept in the OS keychain, never on disk):
  accounts add <NAME> --region us|eu|jp|URL
                      the key is read from stdin when it is not a terminal, else asked for
                      without echo; it is checked against the region before it is kept.
                      URL: https://…, or http://127.0.0.1:PORT for the local sandbox
  accounts list
  accounts test [NAME]  prove the key works; show display name, tier and images used/limit
  accounts remove <NAME>

Other:
  sandbox [--port N] [--key KEY:TIER]... [--key-file PATH] [--data-dir DIR] [--tls]
          [--tls-version 1.2|1.3] [--rtt TIME] [--rate BYTES/S]
                      run the local Device Management sandbox on 127.0.0.1 (TIER: free,
                      commercial or partner, or 0, 1, 2); prints its URL, API keys and admin token.
                      --tls: HTTPS with a fresh self-signed certificate, its PEM file's path on
                      the second line (trust it with --ca). --rtt 100ms --rate 40M: a modelled
                      WAN link (round trip per request, handshakes, slow start; see
                      docs/benchmarks.md)
                      --key-file: one KEY:TIER per line (# comments), so keys stay out of ps;
                      keys also from FIRMDROP_SANDBOX_KEYS. Data folder 0700, accounts.json 0600
  web [--port N]      the app's UI in a browser, served on 127.0.0.1; prints the URL to open
  help                this text

Options:
  --json              results as JSON on stdout, no progress. upload and resume print one JSON
                      array with an object per file: file, name, upload_id, account, state,
                      verified, size, sha256, encrypted, firmware_image_id, datafile,
                      datafile_size, datafile_checksum, encrypted_datafile_size,
                      encrypted_datafile_checksum, error, error_code, suggestion
  --quiet, -q         no progress or phase messages (results and errors are still printed)
  --data-dir DIR      where the journal lives (also FIRMDROP_DATA_DIR); shared with the desktop app,
                      which may stay open: each upload is worked by one process at a time
  --ca FILE           also trust the CA certificate(s) in this PEM file (a TLS-inspecting proxy's,
                      or the sandbox's with --tls); in place of the app's Trusted CA setting
  --account NAME      which account; default: FIRMDROP_API_URL/KEY if set, else the only account

Environment:
  FIRMDROP_API_URL + FIRMDROP_API_KEY
                      use this API (us, eu, jp or a URL) and key without storing anything: the key
                      is never written anywhere and the OS keychain is not used
  FIRMDROP_DATA_DIR   as --data-dir
  FIRMDROP_KEYCHAIN_SERVICE
                      the keychain service name for stored keys (default "Firmdrop")
  FIRMDROP_SANDBOX_KEYS
                      sandbox keys as KEY:TIER entries separated by commas or spaces
  NODE_EXTRA_CA_CERTS a PEM file of CA certificates trusted besides the system's (as --ca)

Exit codes: 0 success, 1 failure, 2 usage error, 130 / 143 stopped by SIGINT / SIGTERM (uploads
are kept as "interrupted": run "firmdrop resume" to finish them).
`;

export function printUsage(out: NodeJS.WritableStream): void {
  out.write(USAGE);
}
