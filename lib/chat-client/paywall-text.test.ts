import { describe, expect, it } from "vitest";
import { paywallWords, planName } from "./paywall-text";

const now = Date.UTC(2026, 10, 30, 19, 0, 0);
const facts = {
  used: 400,
  budget: 400,
  resetsAt: "2026-12-01T00:00:00.000Z",
  plan: "guest",
};

describe("paywallWords", () => {
  it("never shows more used than the budget", () => {
    const words = paywallWords({ ...facts, used: 621 }, null, now, "en-GB", "UTC");
    expect(words.used).toBe("400");
    expect(words.budget).toBe("400");
    expect(words.usageEnd).toBe(".");
    expect(words.title).toBe("You've used today's credits");
  });
  it("says when what is left is too little for a reply", () => {
    const words = paywallWords({ ...facts, used: 380 }, null, now, "en-GB", "UTC");
    expect(words.used).toBe("380");
    expect(words.usageEnd).toBe(" — what is left is too little for a reply.");
    expect(words.title).toBe("Not enough credits left today");
  });
  it("says when this conversation's history is why, and that a new chat costs less", () => {
    const long = { ...facts, used: 1314, budget: 2500, historyTokens: 1180, newChatFits: true };
    const words = paywallWords(long, null, now, "en-US", "UTC");
    expect(words.title).toBe("This conversation is too long for today's credits");
    expect(words.usageEnd).toBe(" — what is left is too little for a reply here.");
    expect(words.newChat).toContain("about 1,180 tokens");
    expect(paywallWords({ ...long, newChatFits: false }, null, now).newChat).toBeNull();
    // All of it used: a new chat can't help either.
    expect(paywallWords({ ...long, used: 2500 }, null, now).newChat).toBeNull();
  });
  it("says when credits reset, in the person's clock and in hours", () => {
    const words = paywallWords(facts, null, now, "en-GB", "UTC");
    expect(words.resetClock).toBe("00:00 tomorrow");
    expect(words.resetIn).toBe("in ~5 hours");
    expect(paywallWords({ ...facts, resetsAt: "" }, null, now).resetClock).toBeNull();
  });
  it("says what upgrading gives, and that a guest signs in first; nothing when there is no upgrade", () => {
    expect(paywallWords({ ...facts, plan: "free" }, "checkout", now, "en-GB").upgrade).toBe(
      "You're on the Free plan, with 400 tokens a day. Upgrading gives you more daily credits, so you can keep chatting now instead of waiting for the reset.",
    );
    expect(paywallWords(facts, "sign-in", now, "en-GB").upgrade).toBe(
      "You're on the Guest plan, with 400 tokens a day. Sign in to upgrade: a paid plan gives you more daily credits, so you can keep chatting now instead of waiting for the reset.",
    );
    expect(paywallWords(facts, null, now).upgrade).toBeNull();
  });
  it("formats large numbers in the person's locale", () => {
    expect(paywallWords({ ...facts, used: 100000, budget: 100000 }, null, now, "en-US").used).toBe("100,000");
  });
});

describe("planName", () => {
  it("turns a plan id into a name", () => {
    expect(planName("free")).toBe("Free");
    expect(planName("pro-team")).toBe("Pro team");
    expect(planName("")).toBe("current");
  });
});
