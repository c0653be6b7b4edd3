// Unit tests for shebang flag stripping and EVALSHA hash translation (no Redis needed).
import { describe, expect, it } from "vitest";
import { prepareScriptCommand, ScriptRegistry, sanitizeScript, sha1 } from "./scripts";

describe("sanitizeScript", () => {
  it("drops allow-key-locking and keeps the shebang line so line numbers do not move", () => {
    expect(sanitizeScript("#!lua flags=allow-key-locking\nreturn 1")).toBe("#!lua\nreturn 1");
  });

  it("keeps flags stock Redis knows", () => {
    expect(sanitizeScript("#!lua flags=no-writes,allow-key-locking,allow-stale\nreturn 1")).toBe(
      "#!lua flags=no-writes,allow-stale\nreturn 1",
    );
  });

  it("returns scripts without unknown flags unchanged (same string)", () => {
    const s = "#!lua flags=no-writes\nreturn 1";
    expect(sanitizeScript(s)).toBe(s);
    expect(sanitizeScript("return 1")).toBe("return 1");
    expect(sanitizeScript("#!lua\nreturn 1")).toBe("#!lua\nreturn 1");
  });

  it("handles a script that is only a shebang line", () => {
    expect(sanitizeScript("#!lua flags=allow-key-locking")).toBe("#!lua");
  });
});

describe("ScriptRegistry / prepareScriptCommand", () => {
  const script = "#!lua flags=allow-key-locking\nreturn KEYS[1]";
  const clientSha = sha1(script);
  const storedSha = sha1("#!lua\nreturn KEYS[1]");

  it("translates EVALSHA after the script was seen via EVAL", () => {
    const reg = new ScriptRegistry();
    expect(prepareScriptCommand(reg, "EVALSHA", ["evalsha", clientSha, "0"]).args[1]).toBe(clientSha);
    const evalArgs = prepareScriptCommand(reg, "EVAL", ["eval", script, "1", "k"]).args;
    expect(evalArgs).toEqual(["eval", "#!lua\nreturn KEYS[1]", "1", "k"]);
    expect(prepareScriptCommand(reg, "EVALSHA", ["evalsha", clientSha, "0"]).args[1]).toBe(storedSha);
    expect(
      prepareScriptCommand(reg, "EVALSHA_RO", ["evalsha_ro", clientSha.toUpperCase(), "0"]).args[1],
    ).toBe(storedSha);
  });

  it("SCRIPT LOAD answers with the client's SHA1 and SCRIPT EXISTS is translated", () => {
    const reg = new ScriptRegistry();
    const load = prepareScriptCommand(reg, "SCRIPT", ["script", "load", script]);
    expect(load.args[2]).toBe("#!lua\nreturn KEYS[1]");
    expect(load.replaceReply).toBe(clientSha);
    const exists = prepareScriptCommand(reg, "SCRIPT", ["SCRIPT", "EXISTS", clientSha, "ffff"]);
    expect(exists.args).toEqual(["SCRIPT", "EXISTS", storedSha, "ffff"]);
  });

  it("leaves plain scripts and other commands alone", () => {
    const reg = new ScriptRegistry();
    expect(prepareScriptCommand(reg, "EVAL", ["EVAL", "return 1", "0"]).args[1]).toBe("return 1");
    expect(prepareScriptCommand(reg, "SCRIPT", ["SCRIPT", "LOAD", "return 1"]).replaceReply).toBeUndefined();
    expect(prepareScriptCommand(reg, "GET", ["GET", "k"]).args).toEqual(["GET", "k"]);
    expect(reg.size).toBe(0);
  });
});
