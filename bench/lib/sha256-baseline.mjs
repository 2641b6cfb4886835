// This machine's single-core sha256 rate: `openssl speed -evp sha256`, the 16384-byte column.
import { spawnSync } from "node:child_process";

/** Bytes per second, or null (with the reason) when openssl is missing or its output unexpected. */
export function opensslSha256Rate(seconds = 2) {
  const attempts = [
    ["speed", "-evp", "sha256", "-bytes", "16384", "-seconds", String(seconds)],
    ["speed", "-evp", "sha256", "-seconds", String(seconds)], // older openssl: every block size
  ];
  let problem = "openssl is not installed";
  for (const args of attempts) {
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    if (r.error) break;
    const lines = `${r.stdout}`.split("\n");
    const header = lines.findIndex((l) => /^type\s/.test(l));
    const row = lines.slice(header + 1).find((l) => /^sha256\s/.test(l));
    if (header < 0 || !row) {
      problem = `unexpected output of openssl ${args.join(" ")}`;
      continue;
    }
    const columns = lines[header].trim().split(/\s{2,}|\s(?=\d)/).slice(1).map((c) => c.replace(/\s*bytes$/, ""));
    const values = row.trim().split(/\s+/).slice(1);
    const at = columns.indexOf("16384");
    if (at < 0 || !values[at]) {
      problem = `no 16384-byte column in openssl ${args.join(" ")}`;
      continue;
    }
    return { bytesPerSecond: Number.parseFloat(values[at]) * 1000, command: `openssl ${args.join(" ")}`, problem: "" };
  }
  return { bytesPerSecond: null, command: "", problem };
}
