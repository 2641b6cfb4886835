import { inject, injectable } from "../di/tsyringe.js";
import { UsageError, UnknownStorageError } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import { restoreVersion, type RestoreOutcome } from "../versions/version-service.js";
import { isAtOrBelow, versionTimeMatches, type StoredVersion } from "@wlsync/plugin-api";
import { ContainerService } from "./container-service.js";

/** A version and the storage (backend-id) that keeps it. */
export interface ListedVersion extends StoredVersion {
  storage: string;
}

export interface RestoreRequest {
  /** `--version TIME`: only versions whose time matches (ISO or compact form, or a prefix). */
  version?: string;
  /** `--to STORAGE`: write there instead of the storage that keeps the version. */
  to?: string;
}

export interface RestoreReport {
  restored: RestoreOutcome[];
  /** Folder restores leave paths that exist now alone. */
  skipped: Array<{ path: string; storage: string; reason: string }>;
}

/** A path as typed (`./a/b/`, `a/b`) in the storage's form (`a/b`; "" = everything). */
export function normalisePath(path: string | undefined): string {
  if (!path) return "";
  const p = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  return p === "." ? "" : p;
}

/** `wl container versions` and `wl container restore`: the versions kept on a container's storages. */
@injectable()
export class VersionService {
  constructor(@inject(ContainerService) private readonly containers: ContainerService) {}

  private async withBackends<T>(name: string, fn: (backends: StorageBackend[]) => Promise<T>): Promise<T> {
    const container = this.containers.container(name);
    await this.containers.checkStorages(name);
    const backends: StorageBackend[] = [];
    try {
      for (const storage of container.storages) backends.push(await this.containers.buildBackend(storage, container));
      await Promise.all(backends.map((b) => b.checkRoot()));
      return await fn(backends);
    } finally {
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
    }
  }

  /** Every version at or below `path` on every storage of the container, by path then time. */
  async list(name: string, path?: string): Promise<ListedVersion[]> {
    const under = normalisePath(path);
    return this.withBackends(name, async (backends) => {
      const out: ListedVersion[] = [];
      for (const backend of backends) for (const v of await backend.listVersions(under)) out.push({ ...v, storage: backend.backendId });
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.timeMs - b.timeMs || (a.storage < b.storage ? -1 : 1)));
    });
  }

  /**
   * Brings back the newest version of `path` (or the one `--version` names), on the storage that
   * keeps it or on `--to`. A folder path restores every file below it that has versions and is
   * absent now (a deleted tree); files that exist are left alone and reported as skipped.
   */
  async restore(name: string, path: string, request: RestoreRequest = {}): Promise<RestoreReport> {
    const wanted = normalisePath(path);
    return this.withBackends(name, async (backends) => {
      const byId = new Map(backends.map((b) => [b.backendId, b]));
      let to: StorageBackend | undefined;
      if (request.to) {
        to = byId.get(request.to) ?? backends.find((b) => b.type === request.to);
        if (!to) throw new UnknownStorageError(name, request.to, backends.map((b) => `${b.backendId} (${b.type})`));
      }
      const all: ListedVersion[] = [];
      for (const backend of backends) for (const v of await backend.listVersions(wanted)) all.push({ ...v, storage: backend.backendId });
      const matching = request.version ? all.filter((v) => versionTimeMatches(v, request.version!)) : all;
      const exact = matching.filter((v) => v.path === wanted);
      const report: RestoreReport = { restored: [], skipped: [] };
      if (!all.length) throw new UsageError(`no versions of "${wanted || "."}" are kept on any storage of ${name} (see wl container versions ${name})`);
      if (!matching.length) throw new UsageError(`no version of "${wanted || "."}" matches --version ${request.version} (see wl container versions ${name} ${wanted})`);
      const newest = (list: ListedVersion[]) => list.reduce((a, b) => (b.timeMs > a.timeMs || (b.timeMs === a.timeMs && b.name > a.name) ? b : a));
      if (exact.length) {
        const version = newest(exact);
        const from = byId.get(version.storage)!;
        report.restored.push(await restoreVersion(from, version, to ?? from, wanted));
        return report;
      }
      const byPath = new Map<string, ListedVersion[]>();
      for (const v of matching) if (isAtOrBelow(v.path, wanted)) byPath.set(v.path, [...(byPath.get(v.path) ?? []), v]);
      for (const [p, list] of [...byPath].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const version = newest(list);
        const from = byId.get(version.storage)!;
        const dest = to ?? from;
        if (await dest.stat(p)) {
          report.skipped.push({ path: p, storage: dest.backendId, reason: "exists now (restore it by its own path to replace it)" });
          continue;
        }
        report.restored.push(await restoreVersion(from, version, dest, p));
      }
      return report;
    });
  }
}
