// backend-s3 through the built `wl` against a real S3 implementation: a one-node Ceph cluster
// with the RADOS Gateway (scripts/ceph-rgw.sh), started for this file on a free port of
// 127.0.0.1. Without Ceph's packages every test prints "[not run]".
import { defineS3Suite } from "./helpers/s3-suite.mjs";

defineS3Suite("ceph");
