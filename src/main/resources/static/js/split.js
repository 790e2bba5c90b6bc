// Which rows a training job holds out as test data, so the page can draw them apart. The service
// chooses them as its engine documents (a seeded random hold-out, TrainingRequest.validationSplit):
// a Fisher–Yates permutation of the row indices drawn from java.util.Random(seed), whose last
// round(rows × split) indices are the validation rows. java.util.Random is specified to the bit
// (a 48-bit linear congruential generator), so the same seed gives the same rows here.
// PlaygroundBrowserTest checks the page's test accuracy on these rows against the job's val_accuracy.

const MULTIPLIER = 0x5DEECE66Dn;
const ADDEND = 0xBn;
const MASK = (1n << 48n) - 1n;

/** java.util.Random: the constructor's scramble, next(31) and nextInt(bound), exactly. */
export class JavaRandom {
  constructor(seed) {
    this.seed = (BigInt.asIntN(64, BigInt(seed)) ^ MULTIPLIER) & MASK;
  }

  next31() {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(this.seed >> 17n); // (int) (seed >>> (48 - 31)): 31 bits, never negative
  }

  nextInt(bound) {
    let r = this.next31();
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n); // a power of two
    // Java retries while u - r + m overflows an int, so every value is equally likely.
    for (let u = r; u - (r = u % bound) + m > 0x7fffffff; u = this.next31());
    return r;
  }
}

/** The indices of the rows the job validates on (a Set), for rows × split held out with this seed. */
export function validationRows(rows, split, seed) {
  const held = Math.round(rows * split);
  if (!(held > 0)) return new Set();
  const order = Array.from({ length: rows }, (_, i) => i);
  const random = new JavaRandom(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(rows - held));
}
