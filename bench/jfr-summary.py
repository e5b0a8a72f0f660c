#!/usr/bin/env python3
"""Flame summary of a JFR recording (a benchmark helper, not a test). Usage:
    python3 bench/jfr-summary.py RECORDING.jfr [TOP]
Reads the execution samples (threads running Java code) and native-method samples (threads inside native
code: DuckDB, zlib, sockets) with the JDK's `jfr print`, groups threads by name (digits folded), and prints
for each group its share of the samples, its hottest frames by self time and its hottest SecretTrail,
Kafka, Jackson and DuckDB frames by inclusive time, then the collector's pauses. Only proportions are
meaningful: JFR samples a few threads every 10-20 ms, not every thread all the time. A native-method
sample is a thread inside a native call, working (inflating, appending to DuckDB) or waiting (a socket's
select, a child process's exit): read it with the frame that called into native code."""
import collections
import re
import subprocess
import sys

OURS = ("io.secrettrail.", "org.apache.kafka.", "com.fasterxml.jackson.", "org.duckdb.", "java.util.zip.")


def events(path, names):
    text = subprocess.run(
        ["jfr", "print", "--stack-depth", "96", "--events", names, path],
        check=True, capture_output=True, text=True).stdout
    return re.split(r"^jdk\.\w+ \{", text, flags=re.M)[1:]


def thread_of(e):
    m = re.search(r'sampledThread = "([^"]*)"', e)
    return re.sub(r"\d+", "N", m.group(1)) if m else "?"


def frames_of(e):
    return re.findall(r"^\s+([\w$.<>/]+)\(", e, re.M)


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    java = events(path, "jdk.ExecutionSample")
    native = events(path, "jdk.NativeMethodSample")
    groups = collections.defaultdict(lambda: {"java": 0, "native": 0, "self": collections.Counter(),
                                              "incl": collections.Counter(), "nself": collections.Counter()})
    for kind, evs in (("java", java), ("native", native)):
        for e in evs:
            f = frames_of(e)
            if not f:
                continue
            g = groups[thread_of(e)]
            g[kind] += 1
            if kind == "java":
                g["self"][f[0]] += 1
                for name in set(f):
                    if name.startswith(OURS):
                        g["incl"][name] += 1
            else:
                # the first Java frame above the native one says what called into native code
                g["nself"][next((x for x in f if x.startswith(OURS)), f[0])] += 1
    total_java = sum(g["java"] for g in groups.values()) or 1
    print(f"{total_java} execution samples, {sum(g['native'] for g in groups.values())} native-method samples")
    print()
    print(f"{'thread':52} {'java':>6} {'share':>6} {'native':>7}")
    ordered = sorted(groups.items(), key=lambda kv: -kv[1]["java"])
    for name, g in ordered:
        print(f"{name[:52]:52} {g['java']:6d} {100 * g['java'] / total_java:5.1f}% {g['native']:7d}")
    for name, g in ordered:
        if g["java"] < total_java * 0.03:
            continue
        print()
        print(f"== {name}: {g['java']} samples ({100 * g['java'] / total_java:.1f}% of all)")
        print("  self:")
        for frame, n in g["self"].most_common(top):
            print(f"    {100 * n / g['java']:5.1f}%  {frame}")
        print("  inclusive (project and library frames):")
        for frame, n in g["incl"].most_common(top):
            print(f"    {100 * n / g['java']:5.1f}%  {frame}")
        if g["native"]:
            print(f"  in native code ({g['native']} samples), called from:")
            for frame, n in g["nself"].most_common(5):
                print(f"    {100 * n / g['native']:5.1f}%  {frame}")
    gcs = events(path, "jdk.GarbageCollection")
    pauses = [float(m) for e in gcs for m in re.findall(r"sumOfPauses = ([\d.]+) ms", e)]
    pauses += [float(m) * 1000 for e in gcs for m in re.findall(r"sumOfPauses = ([\d.]+) s", e)]
    print()
    print(f"garbage collections: {len(gcs)}, pauses {sum(pauses) / 1000:.2f} s in all")


if __name__ == "__main__":
    main()
