import type { Command } from "../commander.js";
import { examples, out, WL_SCRIPT } from "../context.js";

/** `wl daemon install` and `wl daemon uninstall`: the systemd user unit. */
export function register(daemon: Command): void {
  daemon
    .command("install")
    .description("write and enable a systemd user unit that starts the daemon at login (~/.config/systemd/user/wlsync.service)")
    .addHelpText("after", examples(["wl daemon install", "the daemon starts at login and resumes its jobs"]))
    .action(async () => {
      const { installUnit } = await import("../../daemon/systemd-unit.js");
      const { unitPath, enabled, note } = installUnit(WL_SCRIPT);
      out(`wrote ${unitPath}`);
      out(enabled ? "enabled and started: wlsync.service (systemctl --user status wlsync)" : `not enabled: ${note}; enable it later with: systemctl --user enable --now wlsync.service`);
    });
  daemon
    .command("uninstall")
    .description("disable and remove the systemd user unit")
    .addHelpText("after", examples(["wl daemon uninstall", "the daemon no longer starts at login (a running one keeps running: wl daemon stop)"]))
    .action(async () => {
      const { uninstallUnit } = await import("../../daemon/systemd-unit.js");
      const { unitPath, removed, note } = uninstallUnit();
      out(removed ? `removed ${unitPath}` : `no unit at ${unitPath}`);
      if (note) out(note);
    });
}
