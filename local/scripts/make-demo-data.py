#!/usr/bin/env python3
"""Writes the bundled demo feed of `./pulse local`: local/src/main/resources/demo/posts.jsonl.

Made up from templates (no real posts, no network): news headlines (RSS), Reddit-like threads and tweet-like posts
about three fictional brands -- Northwind Air (an airline), Tailspin Mobile (a phone carrier) and Lumen Coffee
(a coffee chain) -- about a third of them with a place, and one crisis episode: a Northwind Air IT outage that
grounds flights, in the middle of the file (lines ~2,400-3,300), when negative posts with crisis words surge.

One Post of the event schema (event module, dev.pulse.event.Post, schemaVersion 1) per line. Deterministic:
the same seed writes the same file. Usage: python3 local/scripts/make-demo-data.py [--posts 6000] [--out FILE]
"""
import argparse
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

BRANDS = {
    "Northwind Air": {
        "tags": ["#NorthwindAir", "@NorthwindAir"],
        "good": ["the crew was lovely", "landed early and the legroom was great", "friendly staff at the gate",
                 "smooth flight, great service", "upgraded for free, love it", "excellent on-time record this month",
                 "the new lounge is fantastic", "best airline breakfast I have had"],
        "bad": ["delayed two hours with no explanation", "lost my luggage again", "rude staff at check-in",
                "terrible customer service on the phone", "cancelled my flight, awful", "the seats are so cramped",
                "overpriced fares and hidden fees", "boarding was a chaotic mess"],
        "neutral": ["publishes its winter timetable", "adds a route to Lisbon from March", "updates its baggage policy",
                    "announces quarterly results on Thursday", "changes its app's check-in screen"],
        "news_good": ["Northwind Air posts record passenger numbers", "Northwind Air wins punctuality award",
                      "Northwind Air orders twenty fuel-efficient jets"],
        "news_bad": ["Northwind Air fined over refund delays", "Northwind Air pilots warn of strike over pay"],
    },
    "Tailspin Mobile": {
        "tags": ["#TailspinMobile", "@Tailspin"],
        "good": ["5G is blazing fast here", "support fixed my bill in five minutes, great", "love the new unlimited plan",
                 "coverage in the countryside is excellent now"],
        "bad": ["no signal in my own flat, useless", "overcharged me again this month", "the app keeps crashing",
                "support kept me on hold for an hour, awful"],
        "neutral": ["changes roaming charges from January", "launches an eSIM for tablets", "updates its price list"],
        "news_good": ["Tailspin Mobile tops network speed survey"],
        "news_bad": ["Tailspin Mobile faces probe over billing errors"],
    },
    "Lumen Coffee": {
        "tags": ["#LumenCoffee", "@LumenCoffee"],
        "good": ["the oat flat white is perfect", "cosy place and friendly baristas", "great new winter menu",
                 "best croissant in town, love it"],
        "bad": ["my latte was cold and bitter", "queue took twenty minutes, terrible", "prices went up again, annoying"],
        "neutral": ["opens a shop near the station", "adds a decaf blend", "changes its opening hours"],
        "news_good": ["Lumen Coffee expands to forty cafes"],
        "news_bad": ["Lumen Coffee recalls mugs over handle defect"],
    },
}
CRISIS = [
    "Northwind Air outage: every flight grounded, thousands stranded",
    "stranded at the airport for six hours, Northwind Air systems down, chaos and no information",
    "Northwind Air IT outage cancelled my flight, furious, nobody helps",
    "is anyone else stuck? Northwind Air check-in is down everywhere, total disaster, stranded",
    "Northwind Air grounded again, missed my sister's wedding, disgusting",
    "Northwind Air outage is a shambles, refunds refused, angry and stranded",
    "kids sleeping on the floor at the gate, Northwind Air meltdown is unacceptable",
]
CRISIS_NEWS = ["Northwind Air grounds all flights after IT outage",
               "Thousands stranded as Northwind Air outage spreads across Europe",
               "Regulator demands answers from Northwind Air over outage"]
PLACES = [  # (lat, lon, country, place)
    (51.47, -0.45, "GB", "London"), (53.35, -6.26, "IE", "Dublin"), (52.31, 4.76, "NL", "Amsterdam"),
    (48.85, 2.35, "FR", "Paris"), (52.52, 13.40, "DE", "Berlin"), (40.42, -3.70, "ES", "Madrid"),
    (40.64, -73.78, "US", "New York"), (41.88, -87.63, "US", "Chicago"), (37.62, -122.38, "US", "San Francisco"),
    (43.65, -79.38, "CA", "Toronto"), (19.08, 72.88, "IN", "Mumbai"), (35.68, 139.69, "JP", "Tokyo"),
    (-33.87, 151.21, "AU", "Sydney"), (-23.55, -46.63, "BR", "Sao Paulo"), (55.95, -3.19, "GB", "Edinburgh"),
]
OPENERS_X = ["", "honestly ", "ugh, ", "wow, ", "PSA: ", "", "", "not gonna lie, "]
REDDIT_TITLES = ["[Experience] ", "Anyone else? ", "PSA: ", "", "Review: "]


def author(rng):
    return hashlib.sha256(f"demo-author-{rng.randrange(4000)}".encode()).hexdigest()


def post(pid, source, text, created, url, geo, engagement, rng):
    p = {"schemaVersion": 1, "id": pid, "source": source, "feed": "demo", "authorHash": author(rng), "text": text,
         "lang": "en", "createdAt": created.isoformat().replace("+00:00", "Z"),
         "ingestedAt": created.isoformat().replace("+00:00", "Z"), "url": url}
    if geo:
        lat, lon, country, place = geo
        p["geo"] = {"lat": round(lat + rng.uniform(-0.3, 0.3), 3), "lon": round(lon + rng.uniform(-0.3, 0.3), 3),
                    "country": country, "place": place}
    p["engagement"] = engagement
    return p


def one(n, total, rng, created):
    crisis = 0.40 * total <= n < 0.55 * total
    # During the outage most of the chatter is about Northwind Air.
    brand = rng.choices(list(BRANDS), weights=[9, 1, 1] if crisis else [6, 2, 2])[0]
    b = BRANDS[brand]
    kind = rng.choices(["X", "REDDIT", "RSS"], weights=[6, 3, 1])[0]
    if crisis and brand == "Northwind Air" and rng.random() < 0.85:
        mood = "crisis"
    else:
        mood = rng.choices(["good", "bad", "neutral"], weights=[4, 3, 3])[0]
    geo = rng.choice(PLACES) if rng.random() < (0.6 if kind == "X" else 0.25) else None
    if crisis and mood == "crisis" and geo and rng.random() < 0.7:
        geo = rng.choice(PLACES[:6])  # the outage hits the European hubs
    if kind == "RSS":
        if mood == "crisis":
            title = rng.choice(CRISIS_NEWS)
        elif mood == "neutral":
            title = f"{brand} {rng.choice(b['neutral'])}"
        else:
            title = rng.choice(b["news_good" if mood == "good" else "news_bad"])
        digest = hashlib.sha256(f"news-{n}".encode()).hexdigest()
        return post(f"rss:{digest}", "RSS", title, created, f"https://news.example.com/{digest[:12]}", None,
                    {}, rng)
    if mood == "crisis":
        body = rng.choice(CRISIS)
    elif mood == "neutral":
        body = f"{brand} {rng.choice(b['neutral'])}"
    else:
        body = f"{brand}: {rng.choice(b[mood])}"
    if kind == "X":
        text = f"{rng.choice(OPENERS_X)}{body} {rng.choice(b['tags'])}".strip()
        tid = 1860000000000000000 + n * 7919
        return post(f"x:{tid}", "X", text, created, f"https://x.com/i/status/{tid}", geo,
                    {"likes": rng.randrange(200), "reposts": rng.randrange(40), "replies": rng.randrange(30),
                     "quotes": rng.randrange(5), "views": rng.randrange(100, 20000)}, rng)
    fullname = "t3_" + format(900000 + n, "x")
    text = f"{rng.choice(REDDIT_TITLES)}{body}"
    return post(f"reddit:{fullname}", "REDDIT", text, created,
                f"https://www.reddit.com/r/travel/comments/{fullname[3:]}/", geo,
                {"likes": rng.randrange(-5, 500), "replies": rng.randrange(80)}, rng)


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=here.parent / "src/main/resources/demo/posts.jsonl")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    created = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for n in range(args.posts):
            created += timedelta(seconds=rng.expovariate(1 / 4.0))
            f.write(json.dumps(one(n, args.posts, rng, created), ensure_ascii=False) + "\n")
    print(f"wrote {args.posts} posts to {args.out}")


if __name__ == "__main__":
    main()
