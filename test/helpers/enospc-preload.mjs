// Test-only, for machines where a small tmpfs cannot be mounted: loaded into wl with
// NODE_OPTIONS=--import=..., it makes writes to files opened (fs.open or fs/promises open) below
// WLSYNC_TEST_ENOSPC_DIR fail with ENOSPC once WLSYNC_TEST_ENOSPC_BYTES bytes have been written
// there in total, the way a full disk does. Never loaded outside the tests.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const dir = process.env.WLSYNC_TEST_ENOSPC_DIR;
let budget = Number(process.env.WLSYNC_TEST_ENOSPC_BYTES ?? "0");
const watched = new Set();

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

if (dir) {
  const { open, write, writev, close } = fs;
  fs.open = function (path, flags, mode, callback) {
    const cb = typeof mode === "function" ? mode : callback;
    const writing = typeof flags === "string" && /[wa+]/.test(flags);
    const wrapped = (err, fd) => {
      if (!err && writing && String(path).startsWith(dir)) watched.add(fd);
      cb(err, fd);
    };
    return typeof mode === "function" ? open.call(fs, path, flags, wrapped) : open.call(fs, path, flags, mode, wrapped);
  };
  const spend = (fd, length) => {
    if (!watched.has(fd)) return false;
    budget -= length;
    return budget < 0;
  };
  fs.write = function (fd, buffer, ...rest) {
    const cb = rest[rest.length - 1];
    if (spend(fd, typeof buffer === "string" ? Buffer.byteLength(buffer) : buffer.byteLength)) return process.nextTick(cb, enospc());
    return write.call(fs, fd, buffer, ...rest);
  };
  fs.writev = function (fd, buffers, ...rest) {
    const cb = rest[rest.length - 1];
    if (spend(fd, buffers.reduce((n, b) => n + b.byteLength, 0))) return process.nextTick(cb, enospc());
    return writev.call(fs, fd, buffers, ...rest);
  };
  fs.close = function (fd, callback) {
    watched.delete(fd);
    return close.call(fs, fd, callback);
  };
  // FileHandle writes (fs/promises open, then handle.createWriteStream()).
  const openHandle = fs.promises.open;
  fs.promises.open = async function (path, flags, mode) {
    const handle = await openHandle.call(fs.promises, path, flags, mode);
    if (typeof flags === "string" && /[wa+]/.test(flags) && String(path).startsWith(dir)) {
      const { write: hWrite, writev: hWritev } = handle;
      handle.write = async (buffer, ...rest) => {
        if (spend(handle.fd, typeof buffer === "string" ? Buffer.byteLength(buffer) : buffer.byteLength)) throw enospc();
        return hWrite.call(handle, buffer, ...rest);
      };
      handle.writev = async (buffers, ...rest) => {
        if (spend(handle.fd, buffers.reduce((n, b) => n + b.byteLength, 0))) throw enospc();
        return hWritev.call(handle, buffers, ...rest);
      };
      watched.add(handle.fd);
    }
    return handle;
  };
  syncBuiltinESMExports();
}
