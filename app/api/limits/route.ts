// GET /api/limits[?model=<key>][&conversation=<id>] — the caller's rate-limit layers (limit, remaining, reset), with
// the model's own (default: the plan's first model), read without spending; never limited. With a conversation
// and daily credits on, also what a message there costs (`message_cost_tokens`). An unknown model or a malformed
// id is 400.
import { z } from "zod";
import { readLimits } from "@/lib/admission/limits";
import { parseWith } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { identifyCaller, withOwner } from "@/lib/identity/identify";
import { knownModel } from "@/lib/models/choice";
import { idSchema } from "@/lib/wire/schemas";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  model: z.string().min(1).max(100).optional(),
  conversation: idSchema.optional(),
});

export const GET = withErrorHandling(async (request: Request) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const model = knownModel(query.model);
  const caller = await identifyCaller(request);
  const conversation = query.conversation
    ? { owner: (await withOwner(request, caller)).owner, id: query.conversation }
    : undefined;
  const limits = await readLimits(caller, model, conversation);
  return Response.json(limits, { headers: { "Cache-Control": "no-store" } });
});
