// `npm run fake-api`: the test suite's fake Spreeflo Ping API on 127.0.0.1, to try
// `--verify` without sending a key anywhere. It prints the SPREEFLO_API_URL to use.
//
//   npm run fake-api                         three made-up keys, written to a file to scan
//   npm run fake-api -- --keys keys.json     your own list: [{"key", "state", "name"}]
//   npm run fake-api -- --port 8787          a fixed port (default: any free one)
//
// state is live, plan_restricted or revoked; any other key with a valid checksum is
// answered as unknown (401), as Spreeflo answers a key it never issued.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeSpreeflo, type FakeKey } from '../test/support/fake-spreeflo.js';
import { makeV2Key } from '../test/support/keys.js';

const ACME = { id: 'acct_demo', name: 'Acme Marketing', plan: 'professional' };
const STATES = new Set(['live', 'plan_restricted', 'revoked']);

function fail(message: string): never {
  process.stderr.write(`fake-api: ${message}\n`);
  process.exit(2);
}

function readKeys(file: string): FakeKey[] {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(list)) fail(`${file} must hold a JSON list of {"key", "state", "name"}`);
  return list.map((entry, i) => {
    const { key, state, name } = (entry ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || typeof name !== 'string' || typeof state !== 'string' || !STATES.has(state)) {
      fail(`${file}: entry ${i + 1} needs "key", "name" and "state" (live, plan_restricted or revoked)`);
    }
    return { key, name, state: state as FakeKey['state'], account: ACME };
  });
}

/** Three fresh keys, one of each state, in a file the user can scan. */
function madeUpKeys(): { keys: FakeKey[]; file: string } {
  const keys: FakeKey[] = [
    { key: makeV2Key(), state: 'live', name: 'Zapier sync', account: ACME },
    { key: makeV2Key(), state: 'plan_restricted', name: 'CRM export', account: { ...ACME, plan: 'starter' } },
    { key: makeV2Key(), state: 'revoked', name: 'Old CI deploy', account: ACME },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'spreeflo-fake-api-'));
  const file = join(dir, 'leaky.env');
  writeFileSync(file, keys.map((k, i) => `SPREEFLO_KEY_${i + 1}=${k.key}\n`).join(''));
  return { keys, file };
}

const { values } = parseArgs({ options: { keys: { type: 'string' }, port: { type: 'string' } } });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${values.port}`);
const made = values.keys === undefined ? madeUpKeys() : null;
const keys = made?.keys ?? readKeys(values.keys!);
const api = await startFakeSpreeflo({ keys, port });

// The first line is for scripts; the rest for people.
process.stdout.write(`SPREEFLO_API_URL=${api.url}\n`);
process.stdout.write(`Fake Spreeflo Ping API on ${api.url} with ${keys.length} keys (${keys.map((k) => `'${k.name}' ${k.state}`).join(', ')}).\n`);
if (made) process.stdout.write(`They are in ${made.file}. Try, in another terminal:\n  SPREEFLO_API_URL=${api.url} npx spreeflo-scan scan ${made.file} --verify\n`);
process.stdout.write('Ctrl-C stops it.\n');

const stop = () => void api.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
