import { UsageError, WlError } from "@wlsync/plugin-api";
import { socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, globalsOf, loadApp, out } from "../context.js";
import { exitCodeOf, formatSummary } from "../format.js";

/** Options of `wl container resume`. */
export interface ResumeOptions {
  job?: string;
  force?: boolean;
  json?: boolean;
}

export function register(container: Command): void {
  container
    .command("resume")
    .description("restart a container's continuous jobs that a safety gate paused (or that wait for their storage)")
    .argument("[name]", "container name")
    .option("--job <id>", "one job by its id, as wl status shows it (no config needed)")
    .option("--force", "let the first pass after the restart through the safety gates (that pass only)")
    .option("--json", "machine-readable output")
    .addHelpText("after", examples(["wl container resume photos --force", "the deletions a gate stopped go through, in one pass; later passes are gated again"]))
    .action(async (name: string | undefined, opts: ResumeOptions, cmd: Command) => {
      if (!name && !opts.job) throw new UsageError("name a container, or a job with --job ID");
      let args: Record<string, unknown> = { job: opts.job, force: !!opts.force };
      if (!opts.job) {
        const { app, config } = await loadApp(globalsOf(cmd), true);
        app.resolve((await import("../../containers/container-service.js")).ContainerService).container(name!);
        args = { config: config!.filepath, container: name, force: !!opts.force };
      }
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) throw new WlError("E_DAEMON", "no sync daemon is running (start one with wl daemon start: paused jobs are resumed paused)");
      try {
        const { resumed } = await client.call("resume", args);
        if (opts.json) out(JSON.stringify({ resumed }, null, 2));
        let exitCode = 0;
        for (const r of resumed) {
          if (r.error) {
            exitCode = 3;
            if (!opts.json) process.stderr.write(`wl: ${r.job}: ${r.error}\n`);
            continue;
          }
          exitCode = Math.max(exitCode, r.result ? exitCodeOf(r.result) : 0);
          if (!opts.json) out(`${r.job}: resumed${r.result ? `; ${formatSummary(r.result)}` : ""}`);
        }
        if (!resumed.length && !opts.json) out(`${opts.job ?? name}: nothing to resume (see wl status)`);
        process.exitCode = exitCode;
      } finally {
        client.close();
      }
    });
}
