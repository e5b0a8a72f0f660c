#!/usr/bin/env python3
"""Runs a command, prints its stdout, then 'MEASURE wall_seconds peak_rss_mb own_peak_mb others_peak_mb'
on stderr. peak_rss_mb: the largest peak RSS of the command or any of its child processes (getrusage).
own_peak_mb: the peak RSS (VmHWM) of the command's own process alone (the JVM: the launcher execs it),
read from /proc every 50 ms; VmHWM is a high-water mark, so the last reading before exit misses at most
the final 50 ms. others_peak_mb: the largest VmHWM seen among its child processes (the embedded broker)."""
import os, resource, subprocess, sys, threading, time


def hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
peaks = {"own": 0, "others": 0}


def sample():
    while p.poll() is None:
        peaks["own"] = max(peaks["own"], hwm_kb(p.pid))
        todo = children(p.pid)
        while todo:
            c = todo.pop()
            peaks["others"] = max(peaks["others"], hwm_kb(c))
            todo += children(c)
        time.sleep(0.05)


sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
out, err = p.communicate()
wall = time.monotonic() - t0
sampler.join()
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
sys.stdout.write(out)
sys.stderr.write(err)
sys.stderr.write(f"MEASURE {wall:.3f} {rss_mb:.0f} {peaks['own'] / 1024:.0f} {peaks['others'] / 1024:.0f}\n")
sys.exit(p.returncode)
