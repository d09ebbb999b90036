// One pipeline per datasheet, against the AITable fake: the claim is written to and read from a
// real (fake) claim datasheet over HTTP; a second desk is refused with the first desk's name and
// board; a released or lapsed claim is taken; a desk restarted takes its own back; two desks
// starting at once end with one claim; a renewal notices a desk that took over.
import { afterEach, describe, expect, it } from 'vitest';
import { createAitableClient } from '../../electron/core/adapters/aitable/client.ts';
import {
  aitableClaimCell,
  claimDatasheet,
  ClaimRefusedError,
  ClaimUnavailableError,
  type ClaimCell,
} from '../../electron/core/desk/datasheet-claim.ts';
import type { FakeFusion } from '../aitable/fake-fusion-server.ts';
import { configFor, fakeServers, secrets } from '../aitable/helpers.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

const CLAIM_FIELDS = [{ id: 'fldClaim00001', name: 'Claim', type: 'Text', isPrimary: true }];

async function claimSheet(): Promise<FakeFusion> {
  return servers.start({ datasheetId: 'dstClaims00001', fields: CLAIM_FIELDS });
}

function cellOn(fake: FakeFusion): ClaimCell {
  return aitableClaimCell(createAitableClient(configFor(fake), { secrets }), 'Claim');
}

const desk = (cell: ClaimCell, deskId: string, name: string, extra: Partial<Parameters<typeof claimDatasheet>[0]> = {}) =>
  claimDatasheet({
    cell,
    deskId,
    desk: name,
    url: `https://${deskId}.example`,
    ttlMs: 60_000,
    settleMs: 0,
    datasheet: 'dstNews',
    ...extra,
  });

describe('datasheet claim', () => {
  it('refuses a second desk, naming the first and its board, until the first releases it', async () => {
    const fake = await claimSheet();
    const first = await desk(cellOn(fake), 'desk-a', 'newsroom-server (/srv/hero-desk)');
    const records = fake.records;
    expect(records).toHaveLength(1);
    expect(JSON.parse(String(fake.cellsOf(records[0]!.recordId).Claim))).toMatchObject({
      deskId: 'desk-a',
      desk: 'newsroom-server (/srv/hero-desk)',
      url: 'https://desk-a.example',
    });

    const refused = await desk(cellOn(fake), 'desk-b', 'maria-laptop').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClaimRefusedError);
    const message = (refused as Error).message;
    expect(message).toContain(
      'the datasheet dstNews is already claimed by the desk "newsroom-server (/srv/hero-desk)" (board: https://desk-a.example)',
    );
    expect(message).toContain("Open that desk's board instead");
    expect(message).toContain('or stop that desk first');

    // the same desk restarted (same id) takes its claim back at once
    const restarted = await desk(cellOn(fake), 'desk-a', 'newsroom-server (/srv/hero-desk)');
    await restarted.release();
    expect(fake.cellsOf(records[0]!.recordId).Claim ?? null).toBeNull();
    const second = await desk(cellOn(fake), 'desk-b', 'maria-laptop');
    expect(await second.renew()).toBe('held');
    expect(await first.renew()).toBe('lost');
  });

  it('takes over a claim that lapsed (its desk stopped renewing)', async () => {
    const fake = await claimSheet();
    let now = 1_000_000;
    await desk(cellOn(fake), 'desk-a', 'old desk', { now: () => now, ttlMs: 30_000 });
    now += 31_000;
    const taken = await desk(cellOn(fake), 'desk-b', 'new desk', { now: () => now, ttlMs: 30_000 });
    expect(await taken.renew()).toBe('held');
  });

  it('of two desks starting at once, exactly one keeps the claim', async () => {
    const fake = await claimSheet();
    // both read an empty claim, both write, then both read back after the settle
    await desk(cellOn(fake), 'seed', 'seed').then((lease) => lease.release());
    const results = await Promise.allSettled([
      desk(cellOn(fake), 'desk-a', 'A', { settleMs: 300 }),
      desk(cellOn(fake), 'desk-b', 'B', { settleMs: 300 }),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ClaimRefusedError);
  });

  it('says it cannot check the claim when AITable refuses, instead of running unchecked', async () => {
    const fake = await claimSheet();
    const client = createAitableClient(
      { ...configFor(fake), datasheetId: 'dstNotThere001', retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } },
      { secrets },
    );
    const error = await desk(aitableClaimCell(client, 'Claim'), 'desk-a', 'A').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaimUnavailableError);
    expect((error as Error).message).toMatch(/could not check who runs the datasheet dstNews .*remove source\.claim/);
  });
});
