#!/usr/bin/python3
"""The peers of the engine benchmark: workloads W1-W3 of EngineBenchmark in PyTorch and scikit-learn.

Run with Debian's interpreter (python3-torch, python3-sklearn):
    /usr/bin/python3 src/bench/python/peers.py [W1,W2,W3] [--reps N]
Prints one line per workload and peer, in the benchmark's format:
    workload=W1 samples_per_s=N epochs=E metric=M backend=torch-1t ...
Only the training loop is timed: data is in memory (tensors / arrays) before the clock starts.
The same architectures, batch sizes, epochs, optimizers and learning rates as the engine, in float32
(torch tensors are float32; scikit-learn's MLP keeps float32 when given float32 input).
W1 and W2 are repeated --reps times (default 5) and the median reported, as in the engine's benchmark.
"""
import os
import sys
import time
import statistics

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BASEDIR = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def line(**kv):
    print(" ".join(f"{k}={v}" for k, v in kv.items()), flush=True)


def circles(n=100, noise=0.15, factor=0.3, seed=0):
    from sklearn.datasets import make_circles
    x, y = make_circles(n_samples=n, noise=noise, factor=factor, random_state=seed)
    return x.astype(np.float32), y.astype(np.float32)


def digits():
    path = os.path.join(BASEDIR, "src/test/resources/data/digits.csv")
    if not os.path.exists(path):
        path = os.path.join(BASEDIR, "..", "shared", "data", "digits.csv")
    raw = np.genfromtxt(path, delimiter=",", names=True)
    names = raw.dtype.names
    label = "digit" if "digit" in names else names[-1]
    feats = [n for n in names if n != label]
    x = np.stack([raw[n] for n in feats], axis=1).astype(np.float32) / 16.0
    y = raw[label].astype(np.int64)
    # The engine benchmark's split (EngineBenchmark.split: a Fisher-Yates shuffle by java.util.Random(0)),
    # so that engine and peers are scored on the same 360 test digits. numpy's permutation gave
    # another test set, on which every library scores about 0.01 higher: the test sets, not the
    # libraries, made most of the difference between the accuracies printed side by side.
    order = java_shuffle(len(y), 0)
    n_test = int(np.ceil(len(y) * 0.2))
    tr, te = order[: len(y) - n_test], order[len(y) - n_test:]
    return x[tr], y[tr], x[te], y[te]


class JavaRandom:
    """java.util.Random's generator (a 48-bit linear congruential one), for nextInt(bound)."""
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << bits) if r >= 1 << (bits - 1) and bits == 32 else r

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def java_shuffle(n, seed):
    """The row order of EngineBenchmark.split: for i = n-1 .. 1, swap i with Random.nextInt(i + 1)."""
    rnd = JavaRandom(seed)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return np.array(order)


def random_w3(rows=20000, features=784, classes=10):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((rows, features)).astype(np.float32)
    y = rng.randint(0, classes, rows).astype(np.int64)
    return x, y


# ---------------------------------------------------------------- torch

# PyTorch's configurations: (OpenMP threads, BLAS threads, label). "1t" is one thread in all;
# "2t" two torch threads around single-threaded products; "blas2t" one torch thread whose products
# use both cores (what torch.set_num_threads(1) gave before the BLAS pool was set).
TORCH_CONFIGS = ((1, 1, "1t"), (2, 1, "2t"), (1, 2, "blas2t"))


def torch_fit(threads, blas, x, y, layers, out_kind, opt, lr, momentum, batch, epochs):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    mods = []
    inp = x.shape[1]
    for units in layers[:-1]:
        mods += [torch.nn.Linear(inp, units), torch.nn.ReLU()]
        inp = units
    mods.append(torch.nn.Linear(inp, layers[-1]))
    model = torch.nn.Sequential(*mods)
    if opt == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss() if out_kind == "sigmoid" else torch.nn.CrossEntropyLoss()
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y).reshape(-1, 1) if out_kind == "sigmoid" else torch.from_numpy(y)
    n = len(x)
    g = torch.Generator().manual_seed(1)
    # torch.set_num_threads does not reach Debian's OpenBLAS (BLAS_INFO=generic: torch does not know
    # it is OpenBLAS), which otherwise multiplies on every core: "1 thread" ran its products on 2 and
    # "2 threads" oversubscribed the cores (2 OpenMP x 2 OpenBLAS threads, 3-4x slower). The BLAS
    # pool is set here: TORCH_CONFIGS.
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=blas, user_api="blas"):
        start = time.perf_counter()
        cpu_start = time.process_time()
        for _ in range(epochs):
            perm = torch.randperm(n, generator=g)
            for i in range(0, n, batch):
                idx = perm[i:i + batch]
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(xt[idx]), yt[idx])
                loss.backward()
                optimizer.step()
        elapsed = time.perf_counter() - start
        # Samples per second of the process's CPU time (all its threads): with one thread, on a busy
        # machine, this rate is what the engine's cpu_samples_per_s is compared with.
        torch_fit.cpu_rate = n * epochs / (time.process_time() - cpu_start)
    return model, n * epochs / elapsed


def torch_accuracy(model, x, y, sigmoid):
    import torch
    with torch.no_grad():
        out = model(torch.from_numpy(x))
        pred = (out[:, 0] >= 0).long().numpy() if sigmoid else out.argmax(1).numpy()
    return float((pred == y).mean())


# ---------------------------------------------------------------- scikit-learn

def sklearn_fit(x, y, layers, opt, lr, momentum, batch, epochs):
    import warnings
    from sklearn.neural_network import MLPClassifier
    from sklearn.exceptions import ConvergenceWarning
    clf = MLPClassifier(hidden_layer_sizes=tuple(layers), activation="relu", solver=opt, alpha=0.0,
                        batch_size=batch, learning_rate_init=lr, momentum=momentum, nesterovs_momentum=False,
                        max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1, shuffle=True, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf.fit(x, y)
        elapsed = time.perf_counter() - start
    return clf, len(x) * clf.n_iter_ / elapsed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    reps = 5
    if "--reps" in sys.argv:
        reps = int(sys.argv[sys.argv.index("--reps") + 1])
    workloads = (args[0] if args else "W1,W2,W3").upper().split(",")
    import torch
    try:
        import sklearn  # noqa: F401
        peers_sklearn = True
    except ImportError:
        peers_sklearn = False
        line(summary="peers", note="scikit-learn_missing:apt-get_install_python3-sklearn")

    if "W1" in workloads:
        x, y = circles()
        for threads, blas, label in TORCH_CONFIGS:
            rates = []
            for _ in range(reps):
                model, rate = torch_fit(threads, blas, x, y, [20, 1], "sigmoid", "sgd", 0.1, 0.9, 10, 100)
                rates.append(rate)
            line(workload="W1", samples_per_s=round(statistics.median(rates)), epochs=100,
                 metric=f"{torch_accuracy(model, x, y.astype(np.int64), True):.4f}", backend=f"torch-{label}",
                 reps=reps, min_samples_per_s=round(min(rates)), max_samples_per_s=round(max(rates)))
        if peers_sklearn:
            rates = []
            for _ in range(reps):
                clf, rate = sklearn_fit(x, y.astype(np.int64), [20], "sgd", 0.1, 0.9, 10, 100)
                rates.append(rate)
            line(workload="W1", samples_per_s=round(statistics.median(rates)), epochs=100,
                 metric=f"{clf.score(x, y.astype(np.int64)):.4f}", backend="sklearn", reps=reps,
                 min_samples_per_s=round(min(rates)), max_samples_per_s=round(max(rates)))

    if "W2" in workloads:
        xtr, ytr, xte, yte = digits()
        # Repeated --reps times and the median reported, as the engine's W2 (one run lasts about a second).
        for threads, blas, label in TORCH_CONFIGS:
            rates = []
            for _ in range(reps):
                model, rate = torch_fit(threads, blas, xtr, ytr, [128, 64, 10], "softmax", "adam", 1e-3, 0.0, 32, 50)
                rates.append(rate)
            line(workload="W2", samples_per_s=round(statistics.median(rates)), epochs=50,
                 metric=f"{torch_accuracy(model, xte, yte, False):.4f}", backend=f"torch-{label}", reps=reps,
                 min_samples_per_s=round(min(rates)), max_samples_per_s=round(max(rates)))
        if peers_sklearn:
            rates = []
            for _ in range(reps):
                clf, rate = sklearn_fit(xtr, ytr, [128, 64], "adam", 1e-3, 0.9, 32, 50)
                rates.append(rate)
            line(workload="W2", samples_per_s=round(statistics.median(rates)), epochs=50, metric=f"{clf.score(xte, yte):.4f}",
                 backend="sklearn", reps=reps, min_samples_per_s=round(min(rates)), max_samples_per_s=round(max(rates)))

    if "W3" in workloads:
        x, y = random_w3()
        for threads, blas, label in TORCH_CONFIGS:
            torch_fit(threads, blas, x[:2560], y[:2560], [256, 128, 10], "softmax", "sgd", 0.01, 0.9, 128, 1)  # warm-up
            model, rate = torch_fit(threads, blas, x, y, [256, 128, 10], "softmax", "sgd", 0.01, 0.9, 128, 2)
            line(workload="W3", samples_per_s=round(rate), epochs=2, metric="none", backend=f"torch-{label}",
                 cpu_samples_per_s=round(torch_fit.cpu_rate) if threads == blas == 1 else "n/a")
        if peers_sklearn:
            clf, rate = sklearn_fit(x, y, [256, 128], "sgd", 0.01, 0.9, 128, 2)
            line(workload="W3", samples_per_s=round(rate), epochs=2, metric="none", backend="sklearn")

    line(summary="peers", torch=torch.__version__, numpy=np.__version__,
         sklearn=(__import__("sklearn").__version__ if peers_sklearn else "missing"), cores=os.cpu_count())


if __name__ == "__main__":
    main()
