"""Pulse bench scorer, Python side: times vaderSentiment on the same posts as the Java lexicon tier.

Reads one post per line (UTF-8) from argv[1], scores every post in passes over them on one thread until
argv[2] seconds of CPU time have been spent (at least one pass), and prints
one JSON object: posts per second of this thread's CPU time and of wall-clock time over the timed passes
(CPU time is what one core does even when other processes share the machine), and the label of each post from VADER's compound score
with the thresholds its README recommends (>= 0.05 positive, <= -0.05 negative, else neutral).
"""
import json
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    path, min_seconds = sys.argv[1], float(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        posts = [line.rstrip("\n") for line in f]
    analyzer = SentimentIntensityAnalyzer()
    for p in posts[:200]:  # warm-up, as on the JVM side
        analyzer.polarity_scores(p)
    start, cpu_start = time.perf_counter(), time.thread_time()
    passes = 0
    while passes == 0 or time.thread_time() - cpu_start < min_seconds:
        compounds = [analyzer.polarity_scores(p)["compound"] for p in posts]
        passes += 1
    seconds, cpu_seconds = time.perf_counter() - start, time.thread_time() - cpu_start
    labels = [2 if c >= 0.05 else 0 if c <= -0.05 else 1 for c in compounds]
    n = len(posts) * passes
    print(json.dumps({"passes": passes, "cpu_posts_per_s": n / cpu_seconds, "wall_posts_per_s": n / seconds, "labels": labels}))


if __name__ == "__main__":
    main()
