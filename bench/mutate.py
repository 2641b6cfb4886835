#!/usr/bin/env python3
"""The "1% changed" mutation of the peers script (../shared/bench/peers.sh): append b'changed'
to 1% of the files under DIR, chosen with random.Random(1) from the sorted list of paths.

usage: mutate.py DIR            append to the chosen files
       mutate.py DIR --unshare  give the chosen files their own inode (copy + rename, times kept),
                                so a tree of hard links to the corpus can be mutated safely"""
import os, shutil, sys
import random

d = sys.argv[1]
r = random.Random(1)
fs = []
for dp, _, f in os.walk(d):
    fs += [os.path.join(dp, x) for x in f]
fs.sort()
chosen = r.sample(fs, len(fs) // 100)
if "--unshare" in sys.argv[2:]:
    for p in chosen:
        tmp = p + ".bench-unshare"
        shutil.copy2(p, tmp)
        os.replace(tmp, p)
else:
    for p in chosen:
        with open(p, "ab") as f:
            f.write(b"changed")
print(len(chosen))
