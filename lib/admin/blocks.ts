// An operator's blocks of a user or an address: set, lift and list, each change in the audit log.
import { services } from "../services";
import type { AdminBlock, AdminBlocks, AdminUnblock } from "../wire/admin";
import { recordChange } from "./audit";
import type { LimitKey } from "./keys";
import { operatorCall } from "./store-call";
import { type BlockEntry, MAX_LISTED_BLOCKS } from "./types";

const toWire = ({ target, until, reason }: BlockEntry): AdminBlock => ({
  key: target,
  until: new Date(until).toISOString(),
  reason,
});

/**
 * Blocks the key from now for `seconds`, replacing any block it had (a shorter one too: the operator's
 * latest word counts). The admission step reads blocks from the store on every request, so the next message
 * from that user or address, on any instance, is refused with 403.
 */
export async function blockKey(
  limitKey: LimitKey,
  seconds: number,
  reason: string,
  actor: string,
  now: number,
): Promise<AdminBlock> {
  const block: BlockEntry = { target: limitKey.key, until: now + seconds * 1000, reason };
  const { operator, admission } = services();
  await operatorCall(() => operator.setBlock(block, now));
  // This instance enforces it through a store outage too (lib/admission/operator-state.ts).
  admission.fallback?.operator.keepBlock(block, now);
  const wire = toWire(block);
  await recordChange(actor, "block", limitKey.key, `for ${seconds} s, until ${wire.until}: ${reason}`, now);
  return wire;
}

/**
 * Lifts the key's block, an operator's or the automatic one, and with it the key's count of refusals towards
 * an automatic block. A key with no block is a no-op: nothing changes (its refusal count stays) and nothing
 * is audited.
 */
export async function unblockKey(limitKey: LimitKey, actor: string, now: number): Promise<AdminUnblock> {
  const { operator, admission } = services();
  const lifted = await operatorCall(() => operator.clearBlock(limitKey.key, now));
  admission.fallback?.operator.clearBlock(limitKey.key, now);
  if (lifted) {
    await recordChange(
      actor,
      "unblock",
      limitKey.key,
      `lifted a block until ${toWire(lifted).until} (${lifted.reason})`,
      now,
    );
  }
  return { key: limitKey.key, unblocked: lifted !== null };
}

/** Live blocks, the soonest to end first. */
export async function listBlocks(now: number): Promise<AdminBlocks> {
  const { operator, admission } = services();
  const blocks = await operatorCall(() => operator.listBlocks(now));
  for (const block of blocks) admission.fallback?.operator.keepBlock(block, now);
  return {
    blocks: blocks
      .sort((a, b) => a.until - b.until)
      .slice(0, MAX_LISTED_BLOCKS)
      .map(toWire),
  };
}
