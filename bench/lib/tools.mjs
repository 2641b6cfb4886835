// The tools compared: wl (per syncer) and the peers, each as the commands of a two-way-ish
// local folder to local folder sync (invocations as in ../shared/bench/peers.sh).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { onPath } from "./measure.mjs";

const repo = new URL("../..", import.meta.url).pathname;
const wlBin = join(repo, "packages/core/bin/wl.js");

const WLSYNCRC = `# written by bench/run.mjs
containers:
  bench:
    storages:
      - backend-id: src
        type: local
        path: ./src
      - backend-id: dst
        type: local
        path: ./dst
`;

/** Names of the syncers `wl syncers --json` finds (run from the repository). */
export function installedSyncers() {
  const r = spawnSync(process.execPath, [wlBin, "syncers", "--json"], { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) return { names: [], problem: (r.stderr || r.stdout).trim() };
  return { names: JSON.parse(r.stdout).syncers.map((s) => s.name), problem: "" };
}

/** wl with a forced syncer, or (`syncer` null) with the one wl chooses for two local folders. */
function wlTool(syncer, syncers) {
  const installed = syncer === null ? syncers.names.length > 0 : syncers.names.includes(syncer);
  const argv = [process.execPath, wlBin, "container", "sync", "--one-shot", "bench", ...(syncer ? ["--syncer", syncer] : [])];
  return {
    id: syncer ? `wl-${syncer}` : "wl",
    label: syncer ? `wl --syncer ${syncer}` : "wl (default syncer)",
    isWl: true,
    missing: installed ? "" : `no syncer${syncer ? ` named ${syncer}` : ""} is installed${syncers.problem ? ` (${syncers.problem})` : ""}`,
    prepare(w) {
      writeFileSync(join(w, ".wlsyncrc"), WLSYNCRC);
    },
    env: (w) => ({ WLSYNC_STATE_DIR: join(w, "state") }),
    initial: () => argv,
    repeat: () => argv,
    /** For the large-files measurement: the engine's own timing comes back in the JSON result. */
    json: () => [...argv, "--json"],
  };
}

function peer(id, label, program, initial, repeat = initial, extra = {}) {
  return {
    id,
    label,
    isWl: false,
    missing: onPath(program) ? "" : `${program} is not installed (Debian package ${program})`,
    prepare() {},
    env: () => ({}),
    initial,
    repeat,
    ...extra,
  };
}

export function makeTools() {
  const syncers = installedSyncers();
  return [
    wlTool(null, syncers),
    wlTool("naive", syncers),
    wlTool("rsync", syncers),
    peer("rsync", "rsync -a", "rsync", (w) => ["rsync", "-a", "--delete", `${w}/src/`, `${w}/dst/`]),
    peer("rsync-c", "rsync -a --checksum", "rsync", (w) => ["rsync", "-a", "--checksum", "--delete", `${w}/src/`, `${w}/dst/`]),
    peer("unison", "unison -batch", "unison", (w) => ["unison", "-batch", "-auto", "-silent", `${w}/src`, `${w}/dst`], undefined, {
      // its archives go to the run's own folder, not ~/.unison
      env: (w) => ({ UNISON: join(w, "unison") }),
      prepare: (w) => mkdirSync(join(w, "unison")),
    }),
    peer("rclone", "rclone sync", "rclone", (w) => ["rclone", "sync", "--checksum", `${w}/src`, `${w}/dst`], undefined, {
      env: (w) => ({ RCLONE_CONFIG: join(w, "rclone.conf") }),
      prepare: (w) => writeFileSync(join(w, "rclone.conf"), ""),
    }),
    peer(
      "rclone-bisync",
      "rclone bisync",
      "rclone",
      (w) => ["rclone", "bisync", "--resync", `${w}/src`, `${w}/dst`, "--workdir", `${w}/bisync`],
      (w) => ["rclone", "bisync", `${w}/src`, `${w}/dst`, "--workdir", `${w}/bisync`],
      {
        env: (w) => ({ RCLONE_CONFIG: join(w, "rclone.conf") }),
        prepare: (w) => writeFileSync(join(w, "rclone.conf"), ""),
      },
    ),
  ];
}

/** One-line versions of the programs, for the results file. */
export function versions() {
  const first = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    return r.error ? "missing" : `${r.stdout}${r.stderr}`.trim().split("\n")[0];
  };
  return {
    node: process.version,
    rsync: first("rsync", ["--version"]),
    unison: first("unison", ["-version"]),
    rclone: first("rclone", ["version"]),
    openssl: first("openssl", ["version"]),
    python3: first("python3", ["--version"]),
  };
}
