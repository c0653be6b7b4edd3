// Which model a chat request asks for: a key of the model table, checked before anything is counted.
import { ApiError } from "../http/errors";
import { services } from "../services";

/** The asked-for key when the table has it (400 when not), or null: the caller's plan's default. */
export function knownModel(key: string | undefined): string | null {
  if (key === undefined) return null;
  const { models } = services();
  if (models.some((row) => row.key === key)) return key;
  throw new ApiError("bad_request", `Unknown model "${key}".`, { models: models.map((row) => row.key) });
}
