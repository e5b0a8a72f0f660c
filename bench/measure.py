#!/usr/bin/env python3
"""Runs a command, prints its stdout, then 'MEASURE wall_seconds peak_rss_mb' on stderr."""
import resource, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.monotonic() - t0
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
sys.stderr.write(f"MEASURE {wall:.3f} {rss_mb:.0f}\n")
sys.exit(p.returncode)
