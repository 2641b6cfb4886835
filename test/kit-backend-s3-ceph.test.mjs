// The conformance kit against the S3 backend on a one-node Ceph RADOS Gateway
// (scripts/ceph-rgw.sh); without Ceph's packages every test prints "[not run]".
import { defineS3Kit } from "./helpers/kit-s3.mjs";

defineS3Kit("ceph");
