import { defaultFileMode, modeOfCopy, type CopyTask, type StorageEntry } from "@wlsync/plugin-api";

/**
 * A copy rsync placed, given the permission bits the plan wants (rsync's `--perms` carries the
 * source's, setuid and setgid included; the plan may want the destination's own, where only the
 * content changed on the source, or the default mode, where the source keeps none): a chmod
 * through the backend (compare-and-swap on the entry just placed) when they differ. Returns the
 * entry now at the path. A destination that keeps no modes (exFAT) is left alone.
 */
export async function withWantedMode(task: CopyTask, placed: StorageEntry): Promise<StorageEntry> {
  const { to, action } = task;
  if (to.capabilities.modes === false || placed.mode === undefined || placed.token.endsWith("#changed-after-write")) return placed;
  const wanted = modeOfCopy(action) ?? defaultFileMode();
  if ((placed.mode & 0o7777) === wanted) return placed;
  // RACE: a write landing between setMode's check and its chmod(2) would be recorded with the
  // copied content's hash (microseconds, as for any placed file).
  return to.setMode(action.path, wanted, placed);
}
