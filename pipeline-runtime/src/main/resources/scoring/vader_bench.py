"""Pulse bench scorer, Python side: times vaderSentiment on the same posts as the Java lexicon tier.

Reads one post per line (UTF-8) from argv[1], scores every post `passes` times on one thread, and prints
one JSON object: posts/s over the timed passes and the label of each post from VADER's compound score
with the thresholds its README recommends (>= 0.05 positive, <= -0.05 negative, else neutral).
"""
import json
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    path, passes = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        posts = [line.rstrip("\n") for line in f]
    analyzer = SentimentIntensityAnalyzer()
    for p in posts[:200]:  # warm-up, as on the JVM side
        analyzer.polarity_scores(p)
    start = time.perf_counter()
    for _ in range(passes):
        compounds = [analyzer.polarity_scores(p)["compound"] for p in posts]
    seconds = time.perf_counter() - start
    labels = [2 if c >= 0.05 else 0 if c <= -0.05 else 1 for c in compounds]
    print(json.dumps({"posts_per_s": len(posts) * passes / seconds, "seconds": seconds, "labels": labels}))


if __name__ == "__main__":
    main()
