import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { defaultPlanTable, PlanTableError, parsePlanTable, planLimits } from "./table";

const base = { perMinute: 5, perHour: 60, concurrentStreams: 2, dailyTokens: 100_000 };

describe("plan table defaults", () => {
  it("guest and free are today's limits; pro is 4× the per-user layers and 10× the budget", () => {
    expect(defaultPlanTable(base)).toEqual({
      guest: base,
      free: base,
      pro: { perMinute: 20, perHour: 240, concurrentStreams: 8, dailyTokens: 1_000_000 },
    });
  });

  it("follows the single-plan variables, and a disabled layer stays disabled for pro", () => {
    const { plans } = parseConfig({
      RATE_LIMIT_CHAT_PER_MIN: "3",
      RATE_LIMIT_CHAT_PER_HOUR: "0",
      CHAT_MAX_CONCURRENT_STREAMS: "1",
      CHAT_DAILY_TOKEN_BUDGET: "500",
    });
    expect(plans.free).toEqual({ perMinute: 3, perHour: 0, concurrentStreams: 1, dailyTokens: 500 });
    expect(plans.guest).toEqual(plans.free);
    expect(plans.pro).toEqual({ perMinute: 12, perHour: 0, concurrentStreams: 4, dailyTokens: 5000 });
  });
});

describe("RATE_LIMIT_PLANS", () => {
  it("merges a partial plan over its defaults and adds new plans on top of free", () => {
    const table = parsePlanTable(
      '{"pro":{"perMinute":50},"team":{"dailyTokens":0},"guest":{"perHour":10}}',
      base,
    );
    expect(table.pro).toEqual({ perMinute: 50, perHour: 240, concurrentStreams: 8, dailyTokens: 1_000_000 });
    expect(table.team).toEqual({ ...base, dailyTokens: 0 });
    expect(table.guest).toEqual({ ...base, perHour: 10 });
    expect(table.free).toEqual(base);
  });

  it("blank or unset means the defaults", () => {
    expect(parsePlanTable(undefined, base)).toEqual(defaultPlanTable(base));
    expect(parseConfig({ RATE_LIMIT_PLANS: "  " }).plans).toEqual(defaultPlanTable(base));
  });

  it.each([
    ['{"pro":{"perMinute":-1}}', 'plan "pro", field "perMinute": must be >= 0'],
    ['{"pro":{"perHour":2.5}}', 'plan "pro", field "perHour": must be a whole number'],
    ['{"pro":{"dailyTokens":"lots"}}', 'plan "pro", field "dailyTokens": must be a number'],
    ['{"free":{"perDay":10}}', 'plan "free", field "perDay": unknown field'],
    ['{"pro":null}', 'plan "pro": must be an object'],
    ['{"pro":[1]}', 'plan "pro": must be an object'],
    ['{"Pro Plan":{}}', 'plan "Pro Plan": plan names are lower-case'],
    ['{"pro":{"perMinute":5}', "is not valid JSON"],
    ["[]", "must be a JSON object keyed by plan name"],
    ["42", "must be a JSON object keyed by plan name"],
  ])("refuses %s naming the plan and field", (raw, message) => {
    expect(() => parsePlanTable(raw, base)).toThrow(PlanTableError);
    expect(() => parsePlanTable(raw, base)).toThrow(message);
  });

  it("stops start-up with a ConfigError naming RATE_LIMIT_PLANS, the plan and the field", () => {
    const attempt = () => parseConfig({ RATE_LIMIT_PLANS: '{"pro":{"concurrentStreams":-3}}' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid environment variable RATE_LIMIT_PLANS: plan "pro", field "concurrentStreams": must be >= 0',
    );
    expect(() => parseConfig({ RATE_LIMIT_PLANS: "{not json" })).toThrow(
      /Invalid environment variable RATE_LIMIT_PLANS: is not valid JSON/,
    );
  });

  it("an unknown plan name reads as free", () => {
    const table = parsePlanTable('{"free":{"perMinute":1}}', base);
    expect(planLimits(table, "gone")).toEqual(table.free);
    expect(planLimits(table, "pro")).toBe(table.pro);
  });
});
