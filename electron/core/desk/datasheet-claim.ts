// One pipeline per datasheet (issue 13). A desk claims its AITable datasheet with a lease — a JSON
// claim {deskId, desk, url, until} in a text field of the one record of a small claim datasheet —
// and renews it at a third of its lifetime. A second desk that finds a live claim by another desk
// refuses to run, naming that desk. AITable has no compare-and-set, so a claim is written, left to
// settle, and read back: of two desks starting at once, the one whose write landed last keeps it,
// and a double claim that slipped through is found by the next renewal (the loser stops).
import type { AitableClient } from '../adapters/aitable/client.ts';
import { errorMessage } from '../base/failures.ts';

export interface Claim {
  deskId: string;
  /** How the desk is named to people ("newsroom-server (/srv/hero-desk)"). */
  desk: string;
  /** Where its board is, when known. */
  url: string | null;
  renewedAt: number;
  until: number;
}

/** Reads and writes the claim; the AITable one below, or a fake in tests. */
export interface ClaimCell {
  read(): Promise<Claim | null>;
  write(claim: Claim | null): Promise<void>;
}

export class ClaimRefusedError extends Error {
  readonly holder: Claim;
  constructor(holder: Claim, datasheet: string, now: number) {
    const url = holder.url ? ` (board: ${holder.url})` : '';
    super(
      `the datasheet ${datasheet} is already claimed by the desk "${holder.desk}"${url}, renewed ${Math.max(0, Math.round((now - holder.renewedAt) / 1000))} s ago. ` +
        `This desk will not run a second pipeline on it (it would generate, pay for and publish every image again). ` +
        `Open that desk's board instead${holder.url ? '' : ' (ask its admin for the address and a token)'}, or stop that desk first: its claim lapses ${Math.max(0, Math.round((holder.until - now) / 1000))} s after its last renewal.`,
    );
    this.name = 'ClaimRefusedError';
    this.holder = holder;
  }
}

export class ClaimUnavailableError extends Error {
  constructor(datasheet: string, cause: unknown) {
    super(
      `could not check who runs the datasheet ${datasheet} (the claim in source.claim): ${errorMessage(cause)}; fix the connection or the claim settings, or remove source.claim`,
      { cause },
    );
    this.name = 'ClaimUnavailableError';
  }
}

export interface ClaimOptions {
  cell: ClaimCell;
  deskId: string;
  desk: string;
  url: string | null;
  ttlMs: number;
  /** How long a written claim is left before it is read back. */
  settleMs?: number;
  /** What the refusal names (the source datasheet's id). */
  datasheet: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface DatasheetLease {
  /** Renews now: 'held', or 'lost' when another desk holds a live claim. */
  renew(): Promise<'held' | 'lost'>;
  /** Renews every third of the lifetime; `onLost` once another desk has it (or renewals failed past the lifetime). */
  keepRenewing(onLost: (holder: Claim | null) => void, onError?: (error: unknown) => void): void;
  stopRenewing(): void;
  /** Stops renewing and clears the claim, so another desk may start at once. */
  release(): Promise<void>;
  setUrl(url: string | null): void;
}

const isLive = (claim: Claim | null, now: number): claim is Claim => claim !== null && claim.until > now;

/** Claims the datasheet or throws ClaimRefusedError (another desk holds it) / ClaimUnavailableError. */
export async function claimDatasheet(options: ClaimOptions): Promise<DatasheetLease> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const settleMs = options.settleMs ?? 2000;
  let url = options.url;
  const mine = (): Claim => ({ deskId: options.deskId, desk: options.desk, url, renewedAt: now(), until: now() + options.ttlMs });
  const read = async () => {
    try {
      return await options.cell.read();
    } catch (error) {
      throw new ClaimUnavailableError(options.datasheet, error);
    }
  };
  const write = async (claim: Claim | null) => {
    try {
      await options.cell.write(claim);
    } catch (error) {
      throw new ClaimUnavailableError(options.datasheet, error);
    }
  };

  const current = await read();
  if (isLive(current, now()) && current.deskId !== options.deskId) throw new ClaimRefusedError(current, options.datasheet, now());
  await write(mine());
  await sleep(settleMs);
  const settled = await read();
  if (settled?.deskId !== options.deskId) {
    if (isLive(settled, now())) throw new ClaimRefusedError(settled, options.datasheet, now());
    throw new ClaimUnavailableError(options.datasheet, new Error('the claim written was not there when read back'));
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  let lastHeld = now();
  const lease: DatasheetLease = {
    async renew() {
      const seen = await read();
      if (isLive(seen, now()) && seen.deskId !== options.deskId) return 'lost';
      await write(mine());
      lastHeld = now();
      return 'held';
    },
    keepRenewing(onLost, onError) {
      let busy = false;
      timer = setInterval(
        () => {
          if (busy) return;
          busy = true;
          lease
            .renew()
            .then(
              (state) => {
                if (state === 'lost') {
                  lease.stopRenewing();
                  void read().then(
                    (holder) => onLost(holder),
                    () => onLost(null),
                  );
                }
              },
              (error: unknown) => {
                onError?.(error);
                // renewals failing for a whole lifetime: another desk may have taken it by now
                if (now() - lastHeld > options.ttlMs) {
                  lease.stopRenewing();
                  onLost(null);
                }
              },
            )
            .finally(() => (busy = false));
        },
        Math.max(1000, Math.floor(options.ttlMs / 3)),
      );
      timer.unref();
    },
    async release() {
      lease.stopRenewing();
      const seen = await options.cell.read().catch(() => null);
      if (seen?.deskId === options.deskId) await options.cell.write(null).catch(() => undefined);
    },
    setUrl(next) {
      url = next;
    },
    stopRenewing() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
  return lease;
}

/** The claim kept in `field` of the first record of the claim datasheet (made on first use). */
export function aitableClaimCell(client: AitableClient, field: string): ClaimCell {
  let recordId: string | null = null;
  const first = async () => {
    const page = await client.listRecords({ pageSize: 1, fields: [field] });
    const record = page.records[0] as { recordId: string; fields: Record<string, unknown> } | undefined;
    if (record) recordId = record.recordId;
    return record ?? null;
  };
  return {
    async read() {
      const record = await first();
      return parseClaim(record?.fields[field]);
    },
    async write(claim) {
      const text = claim === null ? null : JSON.stringify(claim);
      if (recordId === null) await first();
      if (recordId === null) {
        const [created] = await client.createRecords([{ fields: { [field]: text } }]);
        recordId = created?.recordId ?? null;
        return;
      }
      await client.updateRecords([{ recordId, fields: { [field]: text } }]);
    },
  };
}

function parseClaim(cell: unknown): Claim | null {
  const text =
    typeof cell === 'string'
      ? cell
      : Array.isArray(cell)
        ? (cell as unknown[])
            .map((part) => (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : ''))
            .join('')
        : null;
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Claim>;
    if (typeof value.deskId !== 'string' || typeof value.until !== 'number') return null;
    return {
      deskId: value.deskId,
      desk: String(value.desk ?? 'another desk'),
      url: typeof value.url === 'string' ? value.url : null,
      renewedAt: Number(value.renewedAt ?? 0),
      until: value.until,
    };
  } catch {
    return null;
  }
}
