import { posix } from "node:path";

/** rsync's temporary names: `.` + the name (one leading dot dropped) + `.` + six mkstemp characters. */
export const RSYNC_TEMP_NAME = /^\.(.+)\.[A-Za-z0-9]{6}$/;

/** The file a temporary name stands for: `.photo.jpg.Ab12Cd` → `photo.jpg` (or `.photo.jpg`). */
export function namesBehindTempName(name: string): string[] {
  const m = RSYNC_TEMP_NAME.exec(name);
  return m ? [m[1]!, `.${m[1]!}`] : [];
}

/**
 * Maps rsync's stderr lines to the relative paths they are about. rsync quotes file names, as
 * full paths (`link_stat "/src/a/b" failed`), relative ones (`rename ... -> "a/b"`), or the
 * temporary name in the destination folder (`mkstemp "/dst/a/.b.XyZ123" failed`).
 */
export function messagesByPath(lines: readonly string[], roots: readonly string[], wanted: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const prefixes = roots.map((r) => (r.endsWith("/") ? r : `${r}/`));
  for (const line of lines) {
    if (line.startsWith("rsync error:")) continue;
    for (const m of line.matchAll(/"([^"]+)"/g)) {
      let name = m[1]!;
      for (const prefix of prefixes) if (name.startsWith(prefix)) name = name.slice(prefix.length);
      const candidates = [name];
      const dir = posix.dirname(name);
      for (const behind of namesBehindTempName(posix.basename(name))) candidates.push(dir === "." ? behind : `${dir}/${behind}`);
      const hit = candidates.find((c) => wanted.has(c));
      if (hit && !out.has(hit)) out.set(hit, line.replace(/^rsync: /, ""));
    }
  }
  return out;
}
