"""Times stripe-python's WebhookSignature.verify_header and Webhook.construct_event on the benchmark inputs.

Usage: python webhook.py <inputs dir> <secret> <label>...; prints {"verify_header": {label: ns}, ...} as JSON.
"""

import json
import sys
import time

import stripe

BUDGET_NS = 600_000_000


def ns_per_op(fn):
    for _ in range(10):
        fn()
    n, elapsed = 1, 0
    while True:
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter_ns() - start
        if elapsed >= BUDGET_NS // 4 or n >= 1 << 24:
            break
        n *= 2
    reps = max(1, BUDGET_NS // max(elapsed, 1))
    best = elapsed / n
    for _ in range(int(min(reps, 3))):
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter_ns() - start) / n)
    return best


def main():
    directory, secret, labels = sys.argv[1], sys.argv[2], sys.argv[3:]
    out = {"verify_header": {}, "construct_event": {}, "version": stripe.VERSION}
    for label in labels:
        body = open(f"{directory}/{label}.json", "rb").read()
        header = open(f"{directory}/{label}.sig").read().strip()
        assert stripe.WebhookSignature.verify_header(body.decode("utf-8"), header, secret, 300)
        event = stripe.Webhook.construct_event(body, header, secret, 300)
        assert event["type"] == "invoice.paid"
        out["verify_header"][label] = ns_per_op(
            lambda: stripe.WebhookSignature.verify_header(body.decode("utf-8"), header, secret, 300)
        )
        out["construct_event"][label] = ns_per_op(lambda: stripe.Webhook.construct_event(body, header, secret, 300))
    print(json.dumps(out))


main()
