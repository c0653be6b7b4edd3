// A corpus of 200+ hostile bodies against the chat route: every answer a 4xx JSON error, the server alive after.
import { expect, test } from "../test/support/e2e";

// Validation is what is under test here, so the limiter (which runs first) is switched off.
test.use({
  appEnv: { RATE_LIMIT_CHAT_PER_MIN: "0", RATE_LIMIT_CHAT_PER_HOUR: "0", RATE_LIMIT_CHAT_IP_PER_MIN: "0" },
});

interface HostileCase {
  name: string;
  body: string | Uint8Array<ArrayBuffer>;
  contentType?: string | null;
}

const enc = new TextEncoder();
const valid = (text: string) => ({
  id: "conv-1",
  message: { id: "m-1", role: "user", parts: [{ type: "text", text }] },
});
const json = (value: unknown) => JSON.stringify(value);

function corpus(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, body: string | Uint8Array<ArrayBuffer>, contentType?: string | null) =>
    cases.push({ name, body, contentType });

  const malformed = [
    "{",
    "}",
    "[",
    "]",
    "{}}",
    '{"id":',
    '{"id" "x"}',
    "nul",
    "tru",
    "undefined",
    "NaN",
    "Infinity",
    "-",
    "{'id':'x'}",
    "{id:'x'}",
    '{"id":"x",}',
    "[1,]",
    '{"a":1 /* c */}',
    "// c\n{}",
    '"unterminated',
    '{"id":"\\x41"}',
    '{"id":"\\u12"}',
    "0x10",
    "01",
    "1e",
    '{"a":[}',
    "<xml/>",
    "<html>",
    "id=1&m=2",
    "\u0000",
    " ",
    "\n\n",
    "\t",
    '{"message":}',
    "[[[[",
    "]]]]",
    '{"a":"b""c":1}',
  ];
  for (const [i, body] of malformed.entries()) add(`malformed #${i}`, body);

  const wrongTop = [null, true, false, 0, 1.5, -1, "string", [], [1, 2], {}, { id: "x" }, { message: {} }];
  for (const [i, v] of wrongTop.entries()) add(`wrong top-level #${i}`, json(v));

  const badIds = [
    null,
    1,
    true,
    [],
    {},
    "",
    "a".repeat(101),
    "../etc",
    "a/b",
    "a b",
    "ü",
    "💥",
    "%00",
    "a\u0000",
    "<script>",
  ];
  for (const [i, id] of badIds.entries()) {
    add(`bad conversation id #${i}`, json({ ...valid("hi"), id }));
    add(`bad message id #${i}`, json({ ...valid("hi"), message: { ...valid("hi").message, id } }));
  }

  const badMessages = [null, "hi", 1, [], true, { role: "user" }, { parts: [] }];
  for (const [i, message] of badMessages.entries()) add(`bad message #${i}`, json({ id: "c", message }));

  const badRoles = ["assistant", "system", "tool", "User", "", 1, null, ["user"], { user: true }];
  for (const [i, role] of badRoles.entries())
    add(`bad role #${i}`, json({ id: "c", message: { ...valid("x").message, role } }));

  const badParts = [
    null,
    "text",
    1,
    {},
    [],
    [null],
    [1],
    ["hi"],
    [{}],
    [{ type: "image", url: "x" }],
    [{ type: "file", url: "data:," }],
    [{ type: "tool-call" }],
    [{ type: "" }],
    [{ type: "text" }],
    [{ type: "text", text: 1 }],
    [{ type: "text", text: null }],
    [{ type: "text", text: ["a"] }],
    [{ type: "text", text: { a: 1 } }],
    Array.from({ length: 21 }, () => ({ type: "text", text: "x" })),
  ];
  for (const [i, parts] of badParts.entries())
    add(`bad parts #${i}`, json({ id: "c", message: { ...valid("x").message, parts } }));

  const emptyTexts = ["", " ", "\n", "\t\t", " \n \r\n ", "\u00a0".repeat(0)];
  for (const [i, t] of emptyTexts.entries()) add(`empty text #${i}`, json(valid(t)));
  add("text over 32,000 chars", json(valid("a".repeat(32_001))));
  add(
    "two parts over 32,000 chars together",
    json({
      ...valid("x"),
      message: {
        ...valid("x").message,
        parts: [
          { type: "text", text: "a".repeat(16_001) },
          { type: "text", text: "b".repeat(16_000) },
        ],
      },
    }),
  );

  for (let code = 0; code < 32; code++) {
    if (code === 9 || code === 10 || code === 13) continue;
    add(
      `control character U+${code.toString(16).padStart(4, "0")}`,
      json(valid(`hello ${String.fromCharCode(code)} there`)),
    );
  }
  add("DEL control character", json(valid("hello \u007f")));

  const pollution = [
    '{"__proto__":{"id":"c","message":{"id":"m","role":"user","parts":[{"type":"text","text":"hi"}]}}}',
    '{"constructor":{"prototype":{"id":"c"}}}',
    '{"id":"c","message":{"__proto__":{"id":"m","role":"user","parts":[{"type":"text","text":"hi"}]}}}',
    '{"id":"c","message":{"id":"m","role":"user","parts":[{"__proto__":{"type":"text","text":"hi"}}]}}',
    '{"id":"c","message":{"id":"m","role":"user","parts":{"__proto__":[]}}}',
    '{"id":"c","message":{"id":"m","constructor":{"prototype":{"role":"user"}},"parts":[{"type":"text","text":"hi"}]}}',
    '{"id":{"__proto__":"c"},"message":{}}',
    '{"id":"__proto__","message":{"id":"constructor","role":"admin","parts":[]}}',
  ];
  for (const [i, body] of pollution.entries()) add(`prototype pollution #${i}`, body);

  add("deeply nested arrays", "[".repeat(100_000) + "]".repeat(100_000));
  add("deeply nested objects", `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`);
  add(
    "deep nesting inside message",
    json({ id: "c", message: JSON.parse(`${'{"a":'.repeat(1_000)}1${"}".repeat(1_000)}`) }),
  );
  add("wide object", json(Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i]))));
  add("huge number", `{"id":1${"0".repeat(5_000)}}`);
  add("long string key", `{"${"k".repeat(60_000)}":1}`);

  const invalidUtf8 = [
    [0xff],
    [0xfe, 0xff],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xe2, 0x82],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0x80],
  ];
  for (const [i, bytes] of invalidUtf8.entries()) {
    const prefix = enc.encode('{"id":"c","message":{"id":"m","role":"user","parts":[{"type":"text","text":"');
    const suffix = enc.encode('"}]}}');
    add(`invalid UTF-8 #${i}`, new Uint8Array([...prefix, ...bytes, ...suffix]));
  }

  // Every proper prefix of a valid body is broken JSON (clients and proxies do cut bodies short).
  const full = json(valid("a perfectly normal message"));
  for (let cut = 1; cut < full.length; cut += 4) add(`truncated at ${cut}`, full.slice(0, cut));

  add("text/plain body", json(valid("hi")), "text/plain");
  add("form body", "id=c&message=hi", "application/x-www-form-urlencoded");
  add("multipart body", "--x\r\n\r\nhi\r\n--x--", "multipart/form-data; boundary=x");
  add("no content type", json(valid("hi")), null);
  add("xml content type", json(valid("hi")), "application/xml");
  add("body over the 110 KiB cap", json(valid("a".repeat(120_000))));
  return cases;
}

async function send(baseURL: string, c: HostileCase): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": "198.51.100.66" };
  if (c.contentType !== null) headers["content-type"] = c.contentType ?? "application/json";
  return fetch(`${baseURL}/api/chat/message`, { method: "POST", headers, body: c.body });
}

function expectJsonError(status: number, body: unknown, label: string) {
  expect(status, label).toBeGreaterThanOrEqual(400);
  expect(status, label).toBeLessThan(500);
  expect(body, label).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  expect(JSON.stringify(body), label).not.toMatch(/\bat \S+\.(?:js|ts):\d+|node_modules/);
}

test("every hostile body gets a 4xx JSON error and the server keeps serving", async ({ appUrl }) => {
  test.setTimeout(120_000);
  const cases = corpus();
  expect(cases.length).toBeGreaterThanOrEqual(200);
  for (const c of cases) {
    const res = await send(appUrl, c);
    expectJsonError(res.status, await res.json().catch(() => "not JSON"), c.name);
  }
  // Objects in the server were not polluted and it still answers normally.
  expect((await fetch(`${appUrl}/api/health`)).status).toBe(200);
  const ok = await send(appUrl, { name: "valid", body: json(valid("still alive?")) });
  expect(ok.status).toBe(200);
  const deltas = [...(await ok.text()).matchAll(/"type":"text-delta","id":"[^"]+","delta":"([^"]*)"/g)];
  expect(deltas.map((m) => m[1]).join("")).toContain("still alive?");
});

test("a 10 MB body is refused with 413, with or without Content-Length", async ({ appUrl }) => {
  const big = enc.encode(json(valid("a".repeat(10 * 1024 * 1024))));
  const declared = await send(appUrl, { name: "10 MB", body: big });
  expectJsonError(declared.status, await declared.json(), "10 MB with Content-Length");
  expect(declared.status).toBe(413);

  const chunked = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < big.length; i += 1 << 20) controller.enqueue(big.subarray(i, i + (1 << 20)));
      controller.close();
    },
  });
  const res = await fetch(`${appUrl}/api/chat/message`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: chunked,
    duplex: "half",
  } as RequestInit);
  expect(res.status).toBe(413);
  expectJsonError(res.status, await res.json(), "10 MB chunked");
});

test("a slowly dripped body is still answered with a 4xx JSON error", async ({ appUrl }) => {
  const pieces = ['{"id":"c",', '"message":', '{"id":"m",', '"role":"user",', '"parts":[]}}'];
  const drip = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pieces.shift();
      if (next === undefined) return controller.close();
      await new Promise((r) => setTimeout(r, 300));
      controller.enqueue(enc.encode(next));
    },
  });
  const res = await fetch(`${appUrl}/api/chat/message`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: drip,
    duplex: "half",
  } as RequestInit);
  expectJsonError(res.status, await res.json(), "dripped");
  expect((await fetch(`${appUrl}/api/health`)).status).toBe(200);
});
