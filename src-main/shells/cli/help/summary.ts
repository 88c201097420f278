/** `firmdrop help`: one line per command; each command's own help has its options and examples. */
export const SUMMARY = `firmdrop — resumable, verified firmware uploads to Izuma Device Management

Usage: firmdrop [--json] [--quiet] [--data-dir DIR] <command> [options]
       firmdrop help <command>     (or firmdrop <command> --help): its options and examples

Uploads:
  upload <file>...    check every file first, then upload them all and verify size and SHA-256
                      (--account A,B or --all-accounts: to several accounts, read once)
  resume [UPLOAD_ID]  finish uploads that were interrupted, paused or failed
  uploads [list]      the local journal: id, state, name, size, account, verified, created, error
  uploads --export csv|json
                      the upload history as the app exports it
  uploads cancel <UPLOAD_ID>
                      stop an unfinished upload for good and delete its upload job on the server

Server side (of the chosen account, --account NAME):
  images list         the firmware images the account holds, newest first (--name N, --limit N)
  images show <ID|NAME>
                      one image: datafile URL, size, SHA-256, encryption
                      (--manifest-tool: its payload section for manifest-tool's config)
  images delete <ID>  asks first on a terminal; --yes for scripts
  jobs list           the account's upload jobs, newest first (--limit N)
  jobs show <ID>      one upload job
  jobs chunks <ID>    the chunks the server holds for a job: id, length, MD5
  jobs delete <ID>    asks first on a terminal; --yes for scripts

Accounts (API keys are kept in the OS keychain, never on disk):
  accounts add <NAME> --region us|eu|jp|URL
                      the key is read from stdin, or asked for without echo on a terminal
  accounts list       the default account is marked *
  accounts use <NAME> make NAME the default account (the desktop app's default too)
  accounts test [NAME]  prove the key works; show display name, tier and images used/limit
  accounts remove <NAME>

Other:
  sandbox             run the local Device Management sandbox on 127.0.0.1
  web                 the app's UI in a browser, served on 127.0.0.1
  help [COMMAND]      this text, or one command's
  --version, -V       the version

Ids: any unique start of an upload, job or image id (at least 4 characters) names it, as in git.

Options:
  --json              results as JSON on stdout, no progress
  --quiet, -q         no progress or phase messages (results and errors are still printed)
  --data-dir DIR      where the journal lives (also FIRMDROP_DATA_DIR); shared with the desktop app,
                      which may stay open: each upload is worked by one process at a time
  --ca FILE           also trust the CA certificate(s) in this PEM file (a TLS-inspecting proxy's,
                      or the sandbox's with --tls); in place of the app's Trusted CA setting
  --account NAME      which account; else FIRMDROP_ACCOUNT, else FIRMDROP_API_URL/KEY if set,
                      else the default account ("accounts use"), else the only account

Environment:
  FIRMDROP_API_URL + FIRMDROP_API_KEY
                      use this API (us, eu, jp or a URL) and key without storing anything: the key
                      is never written anywhere and the OS keychain is not used
  FIRMDROP_ACCOUNT    a stored account's name, as --account (which wins over it)
  FIRMDROP_DATA_DIR   as --data-dir
  FIRMDROP_KEYCHAIN_SERVICE
                      the keychain service name for stored keys (default "Firmdrop")
  FIRMDROP_SANDBOX_KEYS
                      sandbox keys as KEY:TIER entries separated by commas or spaces
  NODE_EXTRA_CA_CERTS a PEM file of CA certificates trusted besides the system's (as --ca)

Exit codes: 0 success, 1 failure, 2 usage error, 130 / 143 stopped by SIGINT / SIGTERM (uploads
are kept as "interrupted": run "firmdrop resume" to finish them).
`;
