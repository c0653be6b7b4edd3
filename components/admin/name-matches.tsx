// The users a name search found in the operator console, each a button that looks its key up.
"use client";

import { type AdminUsers, MAX_USERS_FOUND } from "@/lib/wire/admin";
import { adminApi } from "./admin-api";
import { failureText } from "./format";

export type Matches = { prefix: string; users: AdminUsers["users"] };

/** The users whose display name starts with `prefix`, and what to tell the operator (no match is said, too). */
export async function searchByName(
  prefix: string,
): Promise<{ matches: Matches | null; outcome: { ok: boolean; text: string } }> {
  try {
    const { users } = await adminApi.findUsers(prefix);
    const many = users.length === 1 ? "1 user" : `${users.length} users`;
    const text =
      users.length === 0
        ? `No signed-in user's name starts with “${prefix}”.`
        : users.length >= MAX_USERS_FOUND
          ? `Showing the first ${MAX_USERS_FOUND} users named “${prefix}…”: type more of the name to narrow it.`
          : `Found ${many} named “${prefix}…”. Pick one to look their key up.`;
    return { matches: { prefix, users }, outcome: { ok: true, text } };
  } catch (error) {
    return { matches: null, outcome: { ok: false, text: failureText(error) } };
  }
}

type Props = {
  prefix: string;
  users: AdminUsers["users"];
  /** The key shown in the card now (its button is marked as pressed). */
  current: string | null;
  onPick: (key: string) => void;
};

export function NameMatches({ prefix, users, current, onPick }: Props) {
  if (users.length === 0) return null;
  return (
    <section className="name-matches" aria-labelledby="name-matches-title" data-testid="name-matches">
      <h3 id="name-matches-title" className="name-matches-title">
        Signed-in users whose name starts with “{prefix}”
      </h3>
      <ul>
        {users.map((user) => (
          <li key={user.key}>
            <button
              type="button"
              className="btn name-match"
              data-testid="name-match"
              aria-pressed={current === user.key}
              onClick={() => onPick(user.key)}
            >
              <span className="name-match-name">{user.name}</span>
              <span className="name-match-key mono">{user.key}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
