import { describe, expect, it } from "vitest";
import {
  autoSendPlan,
  isModelWait,
  type Refusal,
  refusalAnnouncement,
  refusalFromBody,
  refusalSentence,
  waitOverAnnouncement,
} from "./refusal-text";

const now = Date.UTC(2026, 10, 30, 14, 9, 0);
const text = (refusal: Refusal, at = now) => {
  const s = refusalSentence(refusal, at, "en-GB", "UTC");
  return `${s.before}${s.ticking}${s.after}`;
};

/** A per-minute refusal with 42 s to wait, and an hourly one with 23 minutes, both at `now`. */
const minute: Refusal = {
  scope: "user",
  layer: "min",
  limit: 5,
  windowSeconds: 60,
  waitSeconds: 42,
  until: now + 42_000,
};
const hour: Refusal = {
  scope: "user",
  layer: "hour",
  limit: 60,
  windowSeconds: 3600,
  waitSeconds: 23 * 60,
  until: now + 23 * 60_000,
};

describe("refusalFromBody", () => {
  it("reads the 429 body and counts the wait from when it arrived", () => {
    const refusal = refusalFromBody(
      {
        error: "rate_limited",
        retry_after_seconds: 42,
        scope: "user",
        layer: "min",
        limit: 5,
        window_seconds: 60,
      },
      undefined,
      now,
    );
    expect(refusal).toEqual({
      scope: "user",
      layer: "min",
      limit: 5,
      windowSeconds: 60,
      waitSeconds: 42,
      until: now + 42_000,
    });
  });
  it("survives a proxy's 429 without a body: the Retry-After header, else one second", () => {
    expect(refusalFromBody("<html>", 7, now)).toMatchObject({
      scope: "user",
      layer: null,
      until: now + 7000,
    });
    expect(refusalFromBody(null, undefined, now)).toMatchObject({ waitSeconds: 1 });
    expect(refusalFromBody({ scope: "nope", layer: "day" }, 3, now)).toMatchObject({
      scope: "user",
      layer: null,
    });
  });
});

describe("refusalSentence", () => {
  it("keeps the seed's per-minute sentence in seconds, the digits apart", () => {
    const s = refusalSentence(minute, now, "en-GB", "UTC");
    expect(s).toEqual({
      before: "You're sending messages a bit fast — please wait ",
      ticking: "~42s",
      after: "",
    });
    expect(text(minute, now + 30_500)).toBe("You're sending messages a bit fast — please wait ~12s");
  });

  it("says the hourly limit in minutes with the clock time, never ~3596s", () => {
    expect(text(hour)).toBe(
      "You've reached the hourly limit of 60 messages — you can send again at 14:32 (in ~23 minutes)",
    );
    const almostAll: Refusal = { ...hour, waitSeconds: 3596, until: now + 3_596_000 };
    expect(text(almostAll)).toBe(
      "You've reached the hourly limit of 60 messages — you can send again at 15:08 (in ~60 minutes)",
    );
    // It keeps its form while the last seconds tick by.
    expect(text(hour, hour.until - 30_000)).toMatch(/at 14:32 \(in ~30 seconds\)$/);
  });

  it("says a short hourly wait in seconds, still naming the hourly limit", () => {
    const short: Refusal = { ...hour, waitSeconds: 45, until: now + 45_000 };
    expect(text(short)).toBe("You've reached the hourly limit of 60 messages — please wait ~45s");
  });

  it("has its own sentences for the network and for replies in progress", () => {
    const network: Refusal = { ...minute, scope: "ip", layer: "ip-min", limit: 30 };
    expect(text(network)).toBe("Too many messages from your network right now — please wait ~42s");
    const busy: Refusal = {
      scope: "concurrency",
      layer: null,
      limit: 2,
      windowSeconds: 10,
      waitSeconds: 8,
      until: now + 8000,
    };
    expect(text(busy)).toBe(
      "Wait for a reply to finish — you can have 2 replies in progress at once. Try again in ~8s",
    );
  });

  it("never says 'you can send again' after a refusal for replies in progress", () => {
    const busy: Refusal = {
      scope: "concurrency",
      layer: null,
      limit: 2,
      windowSeconds: 10,
      waitSeconds: 8,
      until: now + 8000,
    };
    expect(refusalSentence(busy, busy.until).before).toBe(
      "Wait for a reply to finish — you can have 2 replies in progress at once.",
    );
    expect(refusalAnnouncement(busy, 1, now)).toBe(
      "Wait for a reply to finish — you can have 2 replies in progress at once. Your message is held, not sent. Try again once a reply has finished.",
    );
    expect(waitOverAnnouncement(1, false, true)).toBe(
      "1 message is still held. Once a reply has finished, use Send now to try again.",
    );
    expect(waitOverAnnouncement(2, true, true)).not.toMatch(/can send again/i);
  });

  it("says when the wait is over, with nothing ticking", () => {
    expect(refusalSentence(minute, minute.until, "en-GB", "UTC")).toEqual({
      before: "You're sending messages a bit fast — you can send again now",
      ticking: "",
      after: "",
    });
  });
});

describe("announcements", () => {
  it("say what happened, that the text is kept, and how long — in words, not '~'", () => {
    expect(refusalAnnouncement(minute, 1, now, "en-GB", "UTC")).toBe(
      "You're sending messages a bit fast. Your message is held, not sent. You can send again in about 42 seconds.",
    );
    expect(refusalAnnouncement(hour, 3, now, "en-GB", "UTC")).toBe(
      "You've reached the hourly limit of 60 messages. 3 messages are held, not sent. You can send again at 14:32, in about 23 minutes.",
    );
  });
  it("say once the wait is over what happens to held messages", () => {
    expect(waitOverAnnouncement(0, false)).toBe("You can send messages again.");
    expect(waitOverAnnouncement(2, true)).toBe("You can send again: sending 2 messages now.");
    expect(waitOverAnnouncement(1, false)).toBe(
      "You can send again. 1 message is still held: use Send now to send it.",
    );
  });
  it("the armed countdown says what will happen", () => {
    expect(autoSendPlan(2, minute, now)).toBe("2 messages will be sent in order as soon as the wait ends.");
    expect(autoSendPlan(1, null, now)).toBe("Your held message will be sent now.");
    const hour: Refusal = {
      ...minute,
      layer: "hour",
      windowSeconds: 3600,
      waitSeconds: 1380,
      until: now + 1_380_000,
    };
    expect(autoSendPlan(1, hour, now, "en-GB")).toMatch(/^Your held message will be sent at \d\d:32\.$/);
  });
});

describe("a model's refusals", () => {
  const busyBody = {
    error: "rate_limited",
    retry_after_seconds: 45,
    scope: "model",
    layer: "model-rpm",
    limit: 1,
    window_seconds: 60,
  };
  it("reads a full model's 429 as the model's, not as a vague limit of the person's", () => {
    expect(refusalFromBody(busyBody, undefined, now)).toEqual({
      scope: "model",
      layer: "model-rpm",
      limit: 1,
      windowSeconds: 60,
      waitSeconds: 45,
      until: now + 45_000,
    });
  });
  it("says the assistant is busy, in seconds (a per-minute window), as the server words it", () => {
    const busy = refusalFromBody(busyBody, undefined, now);
    expect(text(busy)).toBe("The assistant is busy right now — please wait ~45s");
    expect(text({ ...busy, layer: "model-tpm" }, now + 40_000)).toBe(
      "The assistant is busy right now — please wait ~5s",
    );
    expect(refusalAnnouncement(busy, 1, now)).toBe(
      "The assistant is busy right now. Your message is held, not sent. You can send again in about 45 seconds.",
    );
  });
  it("belong to the model: another model ends the wait, the person's own limits do not", () => {
    expect(isModelWait(refusalFromBody(busyBody, undefined, now))).toBe(true);
    expect(isModelWait({ ...minute, layer: "model-min" })).toBe(true);
    expect(isModelWait({ ...hour, layer: "model-hour" })).toBe(true);
    expect(isModelWait(minute)).toBe(false);
    expect(isModelWait(hour)).toBe(false);
    expect(isModelWait({ ...minute, scope: "concurrency", layer: null })).toBe(false);
  });
  it("names the model in the person's own per-model limits", () => {
    const perModel: Refusal = { ...minute, layer: "model-min", limit: 1 };
    expect(text(perModel)).toBe("You're sending messages to this model a bit fast — please wait ~42s");
    const perModelHour: Refusal = { ...hour, layer: "model-hour", limit: 30 };
    expect(text(perModelHour)).toBe(
      "You've reached this model's hourly limit of 30 messages — you can send again at 14:32 (in ~23 minutes)",
    );
  });
});
