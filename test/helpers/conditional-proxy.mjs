// An HTTP proxy in front of s3rver that behaves like AWS S3 where s3rver does not: it honours
// conditional writes (If-None-Match: * and If-Match: <etag> on PUT, CompleteMultipartUpload and
// DELETE), answering 412 PreconditionFailed when they do not hold, and it checks that a request
// body hashes to its signed payload hash (x-amz-content-sha256), answering
// XAmzContentSHA256Mismatch when it does not. Bodies are buffered: for tests only.
import { createHash } from "node:crypto";
import { request, createServer } from "node:http";

const PRECONDITION_FAILED =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code>' +
  "<Message>At least one of the pre-conditions you specified did not hold</Message></Error>";

/** `head(key)` resolves to the object's HEAD answer or null; `bucket` is the path-style bucket. */
export async function startConditionalProxy({ upstream, bucket, head }) {
  const target = new URL(upstream);
  const seen = [];
  const requests = [];
  const mismatches = [];
  const server = createServer(async (req, res) => {
    try {
      const ifNoneMatch = req.headers["if-none-match"];
      const ifMatch = req.headers["if-match"];
      const url = new URL(req.url, "http://proxy");
      const isWrite =
        (req.method === "PUT" && !url.searchParams.has("partNumber") && !req.headers["x-amz-copy-source"]) ||
        (req.method === "POST" && url.searchParams.has("uploadId")) ||
        req.method === "DELETE";
      const prefix = `/${bucket}/`;
      requests.push({ method: req.method, path: decodeURIComponent(url.pathname), query: [...url.searchParams.keys()] });
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const payloadHash = req.headers["x-amz-content-sha256"];
      if (/^[0-9a-f]{64}$/.test(payloadHash ?? "") && createHash("sha256").update(body).digest("hex") !== payloadHash) {
        mismatches.push({ method: req.method, path: decodeURIComponent(url.pathname) });
        res.writeHead(400, { "content-type": "application/xml" });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>XAmzContentSHA256Mismatch</Code><Message>The provided x-amz-content-sha256 header does not match what was computed.</Message></Error>');
        return;
      }
      if (isWrite && (ifNoneMatch || ifMatch) && url.pathname.startsWith(prefix)) {
        const key = decodeURIComponent(url.pathname.slice(prefix.length));
        seen.push({ method: req.method, key, ifNoneMatch, ifMatch });
        const current = await head(key);
        const etag = current?.ETag?.replace(/"/g, "");
        const refused = (ifNoneMatch === "*" && current) || (ifMatch && (!current || etag !== ifMatch.replace(/"/g, "")));
        if (refused) {
          res.writeHead(412, { "content-type": "application/xml" });
          res.end(PRECONDITION_FAILED);
          return;
        }
      }
      const upstreamReq = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      upstreamReq.on("error", () => res.destroy());
      upstreamReq.end(body);
    } catch {
      res.destroy();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    /** Conditional requests the proxy saw: { method, key, ifNoneMatch, ifMatch }. */
    seen,
    /** Every request: { method, path, query (parameter names) }. */
    requests,
    /** Requests refused because the body did not match its signed sha256. */
    mismatches,
    close: () => {
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
}
