// Drives Arm's JavaScript SDK (mbed-cloud-sdk) for sdk.test.ts, in a process of its own: the SDK
// (superagent, agent: false) takes no CA option, so the test's certificate is trusted the way
// Node trusts extra roots, NODE_EXTRA_CA_CERTS, which is read only when a process starts.
// One JSON command per stdin line → one JSON answer per stdout line: {ok, value} or {ok:false, error}.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import mbedCloudSdk from 'mbed-cloud-sdk';

const { SDK } = mbedCloudSdk;

const sdk = new SDK({ host: process.env.DRIVER_HOST, apiKey: process.env.DRIVER_KEY });
const images = sdk.foundation().firmwareImageRepository();

/** Plain data: the SDK's entities with dates as ISO strings. */
const plain = (v) => JSON.parse(JSON.stringify(v));

async function pages(options) {
  const paginator = images.list(options);
  const out = [];
  while (paginator.hasNextPage()) {
    const page = await paginator.nextPage();
    if (!page) break;
    // The SDK leaves hasMore undefined when the answer says false (`has_more || hasMore`).
    out.push({ ids: page.data.map((i) => i.id), hasMore: page.hasMore === true });
  }
  return out;
}

const ops = {
  me: () => sdk.foundation().accountRepository().me(),
  create: ({ file, name, description }) =>
    images.create(createReadStream(file), { name, description }),
  read: ({ id }) => images.read(id),
  delete: ({ id }) => images.delete(id),
  all: ({ options }) => images.list(options).all(),
  pages: ({ options }) => pages(options),
  /** The SDK's raw client, which reports every error status (repositories turn 404 into null). */
  call: ({ url, method }) => sdk.client.CallApi({ url, method }),
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { op, ...args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: true, value: plain((await ops[op](args)) ?? null) };
  } catch (err) {
    answer = { ok: false, error: { message: err.message, code: err.code, details: err.details } };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
