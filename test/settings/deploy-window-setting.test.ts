// The deployWindow setting is validated with the same grammar the program enforces it with.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { REPO } from "../support/stack-config";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function settingsWithWindow(window: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-window-"));
  dirs.push(dir);
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  const stack = fs.readFileSync(path.join(REPO, "Pulumi.prod.yaml"), "utf8").replace(/mapstack:deployWindow: .*/, `mapstack:deployWindow: "${window}"`);
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stack);
  return () => loadStackSettings(dir, "prod");
}

describe("deployWindow setting", () => {
  it.each(["Tue 10:00-16:00 UTC", "Tue-Wed 10:00-16:00 America/Argentina/Buenos_Aires", "Mon-Fri 08:00-18:00"])("accepts %s", (w) => {
    expect(settingsWithWindow(w)().lifecycle.deployWindow).toBe(w);
  });

  it("rejects an unknown time zone at the key's line", () => {
    expect(settingsWithWindow("Tue-Wed 10:00-16:00 Mars/Olympus")).toThrow(/Pulumi\.prod\.yaml:\d+:\d+: mapstack:deployWindow .*unknown time zone 'Mars\/Olympus'/);
  });

  it("rejects a window that ends before it starts", () => {
    expect(settingsWithWindow("Tue 16:00-10:00 UTC")).toThrow(/mapstack:deployWindow .*start time must be before the end time/);
  });
});
