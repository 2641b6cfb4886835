// The conformance kit against the S3 backend on s3rver (or WLSYNC_TEST_S3_ENDPOINT); the same kit
// runs against a Ceph RADOS Gateway in kit-backend-s3-ceph.test.mjs.
import { defineS3Kit } from "./helpers/kit-s3.mjs";
import { external } from "./helpers/s3-server.mjs";

defineS3Kit(external ? "external" : "s3rver");
