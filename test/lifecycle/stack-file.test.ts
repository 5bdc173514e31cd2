import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { unifiedDiff } from "../../src/lifecycle/diff";
import { editStackConfig } from "../../src/lifecycle/stack-file";

const FILE = `# Production: protected. Keep this header.
config:
  aws:region: eu-west-3   # region of the schema bucket
  mapstack:environment: prod
  # Pinned by mapstack promote; do not edit by hand.
  mapstack:schemaVersion: 0123456789ab # rolled back on 2026-11-02
  mapstack:datasetPins:
    - a@aaaaaaaaaaaaaaaa
  mapstack:deployWindow: Tue-Wed 10:00-16:00 Europe/Paris
  mapstack:esPassword:
    secure: AAABAJxyz==
`;

describe("editing Pulumi.<stack>.yaml", () => {
  it("changes only the pinned keys and keeps comments, order, secrets and other namespaces", () => {
    const out = editStackConfig("Pulumi.prod.yaml", FILE, { schemaVersion: "fedcba987654", datasetPins: ["a@bbbbbbbbbbbbbbbb", "b@cccccccccccccccc"], promotedFrom: "staging" });
    for (const kept of ["# Production: protected. Keep this header.", "# region of the schema bucket", "# Pinned by mapstack promote; do not edit by hand.", "# rolled back on 2026-11-02", "secure: AAABAJxyz=="]) {
      expect(out).toContain(kept);
    }
    const config = parse(out).config;
    expect(config["mapstack:schemaVersion"]).toBe("fedcba987654");
    expect(config["mapstack:datasetPins"]).toEqual(["a@bbbbbbbbbbbbbbbb", "b@cccccccccccccccc"]);
    expect(config["mapstack:promotedFrom"]).toBe("staging");
    expect(config["aws:region"]).toBe("eu-west-3");
    expect(config["mapstack:deployWindow"]).toBe("Tue-Wed 10:00-16:00 Europe/Paris");
    // Untouched lines stay byte-identical, in order.
    const diff = unifiedDiff(FILE, out, "Pulumi.prod.yaml");
    const removed = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"));
    expect(removed).toEqual(["-  mapstack:schemaVersion: 0123456789ab # rolled back on 2026-11-02", "-    - a@aaaaaaaaaaaaaaaa"]);
  });

  it("removes a key when asked and creates config: when the file has none", () => {
    const out = editStackConfig("f", FILE, { schemaVersion: undefined });
    expect(parse(out).config["mapstack:schemaVersion"]).toBeUndefined();
    expect(parse(editStackConfig("f", "# empty stack\n", { promotedFrom: "dev" }))).toEqual({ config: { "mapstack:promotedFrom": "dev" } });
  });
});

describe("unified diff", () => {
  it("prints hunks with correct line ranges and context", () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const b = a.replace("line 10\n", "line ten\n").replace("line 20\n", "line 20\nline 21\n");
    expect(unifiedDiff(a, b, "f.txt")).toBe(
      ["--- a/f.txt", "+++ b/f.txt", "@@ -7,7 +7,7 @@", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13",
        "@@ -18,3 +18,4 @@", " line 18", " line 19", " line 20", "+line 21", ""].join("\n"),
    );
    expect(unifiedDiff(a, a, "f.txt")).toBe("");
  });
});

describe("editing the bundled stack files", () => {
  it("appends new keys at the end of config: and removes keys line-exactly", async () => {
    const fs = await import("node:fs");
    const text = fs.readFileSync(`${__dirname}/../../Pulumi.prod.yaml`, "utf8");
    const added = editStackConfig("Pulumi.prod.yaml", text, { datasetPins: ["a@aaaaaaaaaaaaaaaa"], promotedFrom: "staging" });
    expect(added.startsWith(text)).toBe(true);
    expect(added.slice(text.length)).toBe("  mapstack:datasetPins:\n    - a@aaaaaaaaaaaaaaaa\n  mapstack:promotedFrom: staging\n");
    expect(editStackConfig("Pulumi.prod.yaml", added, { datasetPins: undefined, promotedFrom: undefined })).toBe(text);
  });
});
