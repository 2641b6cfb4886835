// backend-s3 through the built `wl` against s3rver on 127.0.0.1, or against the endpoint named by
// WLSYNC_TEST_S3_ENDPOINT (MinIO, AWS...; see test/helpers/s3-server.mjs). The same suite runs
// against a Ceph RADOS Gateway in s3-ceph.test.mjs.
import { external } from "./helpers/s3-server.mjs";
import { defineS3Suite } from "./helpers/s3-suite.mjs";

defineS3Suite(external ? "external" : "s3rver");
