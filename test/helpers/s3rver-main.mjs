// A real S3 HTTP server (s3rver) in its own process, so tests can kill it mid-pass.
// usage: node s3rver-main.mjs DIR PORT BUCKET...   (PORT 0 = pick a free one)
// Prints one JSON line {"port": N} on stdout once it listens.
import S3rver from "s3rver";

const [dir, port, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(port ?? 0),
  directory: dir,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port: actual } = await server.run();
process.stdout.write(`${JSON.stringify({ port: actual })}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
