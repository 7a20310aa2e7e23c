// Times stripe-node's webhooks.signature.verifyHeader and webhooks.constructEvent on the benchmark inputs.
// Usage: node webhook.js <inputs dir> <secret> <label>...; prints {"verifyHeader": {label: ns}, ...} as JSON.
'use strict';
const fs = require('fs');
const Stripe = require('stripe');

const stripe = new Stripe('sk_test_bench');
const BUDGET_NS = 600_000_000n;

function nsPerOp(fn) {
  for (let i = 0; i < 50; i++) fn();
  let n = 1;
  let elapsed = 0n;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    elapsed = process.hrtime.bigint() - start;
    if (elapsed >= BUDGET_NS / 4n || n >= 1 << 24) break;
    n *= 2;
  }
  let best = Number(elapsed) / n;
  for (let r = 0; r < 3; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n);
  }
  return best;
}

const [dir, secret, ...labels] = process.argv.slice(2);
const out = { verifyHeader: {}, constructEvent: {}, version: Stripe.PACKAGE_VERSION || require('stripe/package.json').version };
for (const label of labels) {
  const body = fs.readFileSync(`${dir}/${label}.json`);
  const header = fs.readFileSync(`${dir}/${label}.sig`, 'utf8').trim();
  if (!stripe.webhooks.signature.verifyHeader(body, header, secret, 300)) throw new Error('verifyHeader');
  if (stripe.webhooks.constructEvent(body, header, secret, 300).type !== 'invoice.paid') throw new Error('type');
  out.verifyHeader[label] = nsPerOp(() => stripe.webhooks.signature.verifyHeader(body, header, secret, 300));
  out.constructEvent[label] = nsPerOp(() => stripe.webhooks.constructEvent(body, header, secret, 300));
}
console.log(JSON.stringify(out));
