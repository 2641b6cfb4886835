/** Parent folders of a relative path, nearest first: "a/b/c" gives "a/b", "a". */
export function* ancestorsOf(path: string): Generator<string> {
  let i = path.lastIndexOf("/");
  while (i > 0) {
    const parent = path.slice(0, i);
    yield parent;
    i = parent.lastIndexOf("/");
  }
}

export function depthOf(path: string): number {
  let depth = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) depth++;
  return depth;
}

/**
 * Orders paths as a depth-first walk meets them: a folder right before everything below it
 * ("a", "a/b", "a.txt": `/` sorts before every other character). Otherwise by UTF-16 code units,
 * like the default string order.
 */
export function compareTreeOrder(x: string, y: string): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx === cy) continue;
    if (cx === 47) return -1;
    if (cy === 47) return 1;
    return cx - cy;
  }
  return x.length - y.length;
}
