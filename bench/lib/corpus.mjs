// Deterministic corpora (made once by mkcorpus.py, reused while intact) and the per-run copies
// the tools sync from: hard-link trees, so a run costs no copy and the corpus is never touched.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = new URL("..", import.meta.url).pathname;

/** name -> mkcorpus.py arguments (small_count large_count large_mib). */
export const CORPORA = {
  standard: { args: [10000, 8, 32], what: "10,000 files of 200 B-16 KB in 1,000 folders + 8 x 32 MiB" },
  scale: { args: [100000, 0, 32], what: "100,000 files of 200 B-16 KB in 1,000 folders" },
  // --quick: a twentieth of each, the scale corpus still ten times the standard one
  "standard-quick": { args: [500, 2, 32], what: "500 files of 200 B-16 KB + 2 x 32 MiB (--quick)" },
  "scale-quick": { args: [5000, 0, 32], what: "5,000 files of 200 B-16 KB (--quick)" },
  // issue 18: a million small files (100 B-1 KB: about 4 GB per copy in tmpfs, a page per file)
  million: { args: [1000000, 0, 32, 100, 1000], what: "1,000,000 files of 100 B-1 KB in 1,000 folders" },
  "million-quick": { args: [50000, 0, 32, 100, 1000], what: "50,000 files of 100 B-1 KB (--quick)" },
};

/** Bytes a tree of `files` small files takes in tmpfs, about: a page of content and an inode each. */
export function tmpfsBytes(files) {
  return files * (4096 + 1024);
}

/** Available memory (MemAvailable), in bytes; 0 when unknown. */
export function memAvailable() {
  try {
    return Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Files, folders and bytes below a folder (symlinks are not expected in a corpus). */
export function census(dir) {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        dirs++;
        walk(p);
      } else {
        files++;
        bytes += lstatSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, dirs, bytes };
}

/**
 * The corpus folder, generated if missing or not matching the census recorded when it was made
 * (an interrupted generation, a hand edit). Returns its census.
 */
export function ensureCorpus(benchDir, name, log) {
  const spec = CORPORA[name];
  const dir = join(benchDir, "corpora", name);
  mkdirSync(join(benchDir, "corpora"), { recursive: true });
  const stamp = `${dir}.json`;
  if (existsSync(stamp) && existsSync(dir)) {
    const recorded = JSON.parse(readFileSync(stamp, "utf8"));
    const now = census(dir);
    if (JSON.stringify(recorded.args) === JSON.stringify(spec.args) && recorded.files === now.files && recorded.bytes === now.bytes) {
      return { dir, ...now };
    }
    log(`corpus ${name} does not match ${stamp}; regenerating`);
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(stamp, { force: true });
  log(`generating corpus ${name}: ${spec.what}`);
  execFileSync("python3", [join(here, "mkcorpus.py"), dir, ...spec.args.map(String)], { stdio: "inherit" });
  const made = census(dir);
  writeFileSync(stamp, JSON.stringify({ args: spec.args, ...made }, null, 2));
  return { dir, ...made };
}

/**
 * A tree of hard links to the corpus at `dest`, except the files the 1% mutation will append
 * to, which get their own copy (times kept), so mutating `dest` never changes the corpus.
 */
export function cloneCorpus(corpusDir, dest) {
  execFileSync("cp", ["-al", corpusDir, dest]);
  execFileSync("python3", [join(here, "mutate.py"), dest, "--unshare"]);
}

/** Appends to 1% of the files (the peers script's mutation). Returns how many. */
export function mutateOnePercent(dir) {
  return Number(execFileSync("python3", [join(here, "mutate.py"), dir], { encoding: "utf8" }).trim());
}

/** Paths and sizes of regular files below `dir`, to check that a tool produced a full copy. */
export function fileSizes(dir) {
  const out = new Map();
  const walk = (d, rel) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(d, entry.name), r);
      else if (entry.isFile()) out.set(r, lstatSync(join(d, entry.name)).size);
    }
  };
  walk(dir, "");
  return out;
}

/** "" when both trees hold the same files with the same sizes, else what differs (first few). */
export function compareTrees(a, b) {
  const x = fileSizes(a);
  const y = fileSizes(b);
  const problems = [];
  for (const [p, size] of x) {
    if (!y.has(p)) problems.push(`missing ${p}`);
    else if (y.get(p) !== size) problems.push(`size differs ${p}`);
  }
  for (const p of y.keys()) if (!x.has(p)) problems.push(`extra ${p}`);
  return problems.length ? `${problems.length} differences (${problems.slice(0, 3).join(", ")})` : "";
}

/**
 * Reads every file below `dir` (and stats every entry), so that a tool's first pass finds the
 * corpus in the page cache. This machine's kernel pages out cold page cache (DAMON "pageout"),
 * so without it the first tool of a run would pay for the disk reads of everyone.
 */
export function warmUp(dir) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      lstatSync(p);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const fd = openSync(p, "r");
        try {
          while (readSync(fd, buffer, 0, buffer.length, null) > 0);
        } finally {
          closeSync(fd);
        }
      }
    }
  };
  walk(dir);
}

/**
 * Makes a corpus of `small` files (200 B to 16 KB, in 1,000 folders) and `large` files of
 * `largeMiB` MiB in `dir`: with bench/mkcorpus.py when python3 is there (the standard corpus's
 * generator), else with random bytes of the same shape. Returns which generator ran.
 */
export function makeShapedCorpus(dir, { small, large, largeMiB }) {
  const script = join(dirname(fileURLToPath(import.meta.url)), "..", "mkcorpus.py");
  if (spawnSync("sh", ["-c", "command -v python3"], { stdio: "ignore" }).status === 0) {
    const r = spawnSync("python3", [script, dir, String(small), String(large), String(largeMiB)], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("mkcorpus.py failed");
    return "mkcorpus.py";
  }
  for (let i = 0; i < small; i++) {
    const p = join(dir, `d${String(i % 50).padStart(2, "0")}`, `s${String(Math.floor(i / 50) % 20).padStart(2, "0")}`, `f${String(i).padStart(6, "0")}.txt`);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, randomBytes(200 + Math.floor(Math.random() * 15800)));
  }
  mkdirSync(join(dir, "big"), { recursive: true });
  for (let i = 0; i < large; i++) writeFileSync(join(dir, "big", `blob${i}.bin`), randomBytes(largeMiB << 20));
  return "built-in generator (python3 not found)";
}
