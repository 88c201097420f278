// Run by `npm run release` before anything is built. electron-builder skips notarisation with
// only a warning when Apple's credentials are missing, which would ship a macOS build Gatekeeper
// refuses; Windows needs no check here, because `forceCodeSigning` already fails an unsigned
// build. See docs/releasing.md. Usage: node scripts/check-release-env.mjs [--platform darwin]
const NOTARY_CREDENTIALS = [
  ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
  ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  ['APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'],
];

const flag = process.argv.indexOf('--platform');
const platform = flag > 0 ? process.argv[flag + 1] : process.platform;
const has = (name) => Boolean(process.env[name]);

if (platform === 'darwin' && !NOTARY_CREDENTIALS.some((set) => set.every(has))) {
  console.error(
    'Cannot release for macOS: no notarisation credentials in the environment.\n' +
      'Set APPLE_API_KEY (path to the .p8 key), APPLE_API_KEY_ID and APPLE_API_ISSUER ' +
      '(or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID), then run `npm run release` ' +
      'again. docs/releasing.md says where they come from.',
  );
  process.exit(1);
}
if (platform === 'linux') {
  console.log(
    'Linux packages (AppImage, deb) carry no code signature: their updates rest on HTTPS and the ' +
      'SHA-512 in latest-linux.yml. See docs/releasing.md.',
  );
}
