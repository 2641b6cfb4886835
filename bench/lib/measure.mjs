// Runs one command and measures its wall time (hrtime around spawn/exit) and peak memory.
// Peak memory: GNU time's %M (ru_maxrss: the largest single process of the command, in KB)
// when /usr/bin/time is GNU time; otherwise /proc polling of VmHWM summed over the process
// tree every 10 ms (may miss very short-lived children). CPU time (user + system, %U + %S)
// comes with GNU time only: less sensitive than wall time to other work on the machine.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

export function gnuTimeAvailable() {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ["-f", "%M %U %S", "true"], { encoding: "utf8" });
  return probe.status === 0 && /^\d+ [\d.]+ [\d.]+\s*$/.test(probe.stderr);
}

export const memoryMethod = gnuTimeAvailable() ? "ru_maxrss (GNU time %M): largest single process" : "VmHWM summed over the process tree, polled every 10 ms";

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function hwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function treeHwmKb(pid) {
  let sum = hwmKb(pid);
  for (const child of childrenOf(pid)) sum += treeHwmKb(child);
  return sum;
}

/**
 * Runs `argv` in `cwd` with `env` added. Resolves { seconds, cpuSeconds, maxRssKb, code, stderr, stdout }; a
 * command still running after `timeoutMs` is killed and reported with code "timeout".
 */
export function measure(argv, { cwd, env = {}, timeoutMs = 30 * 60_000, captureStdout = false } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = memoryMethod.startsWith("ru_maxrss");
    const rssFile = join(cwd, `.bench-rss-${process.pid}`);
    const [cmd, ...args] = useTime ? [GNU_TIME, "-f", "%M %U %S", "-o", rssFile, ...argv] : argv;
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", captureStdout ? "pipe" : "ignore", "pipe"], detached: true });
    let stderr = "";
    let stdout = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      if (stderr.length < 20_000) stderr += d;
    });
    let peak = 0;
    const poll = useTime ? undefined : setInterval(() => (peak = Math.max(peak, treeHwmKb(child.pid))), 10);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, "SIGKILL"); // its own process group: the command and its children
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let maxRssKb = peak || null;
      let cpuSeconds = null;
      if (useTime) {
        try {
          const lines = readFileSync(rssFile, "utf8").trim().split("\n");
          const [rss, user, sys] = (lines[lines.length - 1] ?? "").split(" ").map(Number);
          maxRssKb = rss || null;
          cpuSeconds = Number.isFinite(user + sys) ? user + sys : null;
        } catch {
          maxRssKb = null;
        }
        rmSync(rssFile, { force: true });
      }
      resolve({ seconds, cpuSeconds, maxRssKb, code: timedOut ? "timeout" : code, stderr: stderr.trim(), stdout });
    });
  });
}

/** Whether a program is on PATH. */
export function onPath(program) {
  return (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, program)));
}

