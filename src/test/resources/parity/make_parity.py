#!/usr/bin/env python3
"""Independent PyTorch reference fixture for the MLP engine parity test.

What it computes
----------------
For each of 7 small fully connected networks (see CASES below) it draws an
input batch x, targets t and all parameters, then runs one forward pass and
one backward pass in float64 with PyTorch autograd and records:

  * the network output y of the last layer, shape (batch, outputs),
  * the scalar loss value,
  * d loss / d param for every W, b and (PReLU only) alpha.

Everything goes to parity.json next to this script.

Conventions (the engine under test follows the same ones):
  * Dense layer: z = x @ W + b, W shape (inputs, units) (Keras kernel
    layout), b shape (units,); y = f(z); batch is the first axis.
  * Activations: linear; relu; leaky_relu (negative slope 0.2);
    prelu (y = z if z > 0 else alpha*z, alpha per unit, shape (units,),
    gradient w.r.t. alpha included); elu (alpha 1.0); sigmoid; tanh;
    softmax over the last axis; softplus = log(1 + exp(z));
    threshold: forward 1 if z >= 0 else 0, backward straight-through
    (derivative 1), implemented as z + (step(z) - z).detach();
    hard_linear = clamp(z, -1, 1) (gradient 1 strictly inside, 0 outside).
  * Losses (scalar, mean reduction like Keras):
      mse  = mean over ALL elements of (y - t)^2
      mae  = mean over ALL elements of |y - t|
      binary_crossentropy = mean over ALL elements of
            -(t log y + (1 - t) log(1 - y)), y = sigmoid(z); computed from
            the logits with BCEWithLogits (same value, stable)
      categorical_crossentropy = mean over the batch of -sum_k t_k log y_k,
            y = softmax(z); computed with log_softmax of the logits.
  * All x, t, W, b, alpha are drawn in float32 (numpy default_rng, fixed
    seed per case) and then widened to float64, so they are exactly
    representable in float32.  All arithmetic is float64.
    Draws: x ~ N(0, 1); W ~ N(0, 0.7); b ~ N(0, 0.3);
    alpha ~ U(0.1, 0.4); regression targets ~ N(0, 1) (tanh outputs:
    U(-0.9, 0.9); softmax+mse: one-hot); bce targets 0/1; cce one-hot.
  * No pre-activation lies within 1e-3 of a kink (0 for relu, leaky_relu,
    prelu, threshold; +-1 for hard_linear) and, for mae, no |y - t| is
    within 1e-3 of 0.  A case violating this (or lacking both sides of a
    kink) is redrawn from the same rng stream (deterministic), and the
    final fixture is asserted to satisfy it.
  * The autograd gradients are cross-checked with central finite
    differences for every parameter not upstream of a threshold layer
    (the straight-through estimator is not a true derivative).

How to rerun
------------
From the repository root (/work/main), with Debian's python3-torch:

    /usr/bin/python3 src/test/resources/parity/make_parity.py

Output: src/test/resources/parity/parity.json (same bytes on every run for
the same torch/numpy versions).
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)  # not used for draws (numpy rng is), set for safety
torch.set_default_dtype(torch.float64)

KINK_MARGIN = 1e-3
BASE_SEED = 20240611

# name, inputs, [(units, activation)], loss, batch
CASES = [
    ("relu_tanh_sigmoid_bce", 3,
     [(4, "relu"), (3, "tanh"), (1, "sigmoid")], "binary_crossentropy", 5),
    ("leaky_elu_softmax_cce", 3,
     [(4, "leaky_relu"), (3, "elu"), (3, "softmax")],
     "categorical_crossentropy", 5),
    ("prelu_softplus_linear_mse", 3,
     [(4, "prelu"), (3, "softplus"), (2, "linear")], "mse", 5),
    ("sigmoid_hardlinear_linear_mae", 3,
     [(4, "sigmoid"), (3, "hard_linear"), (2, "linear")], "mae", 5),
    ("threshold_relu_tanh_mse", 3,
     [(4, "threshold"), (3, "relu"), (2, "tanh")], "mse", 5),
    ("softmax_mse", 3,
     [(4, "tanh"), (3, "prelu"), (3, "softmax")], "mse", 5),
    ("lecture_2_20_1", 2,
     [(20, "relu"), (1, "sigmoid")], "binary_crossentropy", 10),
]


# ---------------------------------------------------------------- activations
def activate(name, z, alpha):
    if name == "linear":
        return z
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, negative_slope=0.2)
    if name == "prelu":
        return torch.where(z > 0, z, alpha * z)
    if name == "elu":
        return F.elu(z, alpha=1.0)
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    if name == "softplus":
        return torch.logaddexp(z, torch.zeros_like(z))  # log(1 + exp(z))
    if name == "threshold":
        step = (z >= 0).to(z.dtype)
        return z + (step - z).detach()  # straight-through estimator
    if name == "hard_linear":
        return torch.clamp(z, -1.0, 1.0)
    raise ValueError(name)


def kinks(name):
    if name in ("relu", "leaky_relu", "prelu", "threshold"):
        return [0.0]
    if name == "hard_linear":
        return [-1.0, 1.0]
    return []


# --------------------------------------------------------------------- model
def forward(x, params, layers):
    """Return (list of pre-activations z, final activation y, last z)."""
    h = x
    zs = []
    for (units, act), p in zip(layers, params):
        z = h @ p["W"] + p["b"]
        zs.append(z)
        h = activate(act, z, p["alpha"])
    return zs, h


def loss_fn(loss, y, z_last, t):
    if loss == "mse":
        return ((y - t) ** 2).mean()
    if loss == "mae":
        return (y - t).abs().mean()
    if loss == "binary_crossentropy":
        return F.binary_cross_entropy_with_logits(z_last, t, reduction="mean")
    if loss == "categorical_crossentropy":
        return -(t * torch.log_softmax(z_last, dim=-1)).sum(dim=-1).mean()
    raise ValueError(loss)


def compute_loss(x, t, params, layers, loss):
    zs, y = forward(x, params, layers)
    return loss_fn(loss, y, zs[-1], t), zs, y


# ------------------------------------------------------------------ sampling
def f32(rng_array):
    return torch.from_numpy(np.asarray(rng_array, dtype=np.float32).astype(np.float64))


def draw(rng, inputs, layers, loss, batch):
    x = f32(rng.standard_normal((batch, inputs), dtype=np.float32))
    params = []
    fan_in = inputs
    for units, act in layers:
        W = f32(rng.normal(0.0, 0.7, (fan_in, units)).astype(np.float32))
        b = f32(rng.normal(0.0, 0.3, (units,)).astype(np.float32))
        alpha = (f32(rng.uniform(0.1, 0.4, (units,)).astype(np.float32))
                 if act == "prelu" else None)
        params.append({"W": W, "b": b, "alpha": alpha})
        fan_in = units
    out_units, out_act = layers[-1]
    if loss == "binary_crossentropy":
        t = f32(rng.integers(0, 2, (batch, out_units)).astype(np.float32))
    elif loss == "categorical_crossentropy" or out_act == "softmax":
        cls = rng.integers(0, out_units, batch)
        t = f32(np.eye(out_units, dtype=np.float32)[cls])
    elif out_act == "tanh":
        t = f32(rng.uniform(-0.9, 0.9, (batch, out_units)).astype(np.float32))
    else:
        t = f32(rng.standard_normal((batch, out_units), dtype=np.float32))
    return x, t, params


def violations(layers, loss, zs, y, t):
    """List of reasons why this draw is unacceptable (empty = fine)."""
    bad = []
    for i, ((units, act), z) in enumerate(zip(layers, zs)):
        for k in kinks(act):
            d = (z - k).abs().min().item()
            if d < KINK_MARGIN:
                bad.append(f"layer {i} {act}: z within {d:.2e} of kink {k}")
        # make sure both sides of the kink are exercised
        if act in ("relu", "leaky_relu", "prelu", "threshold"):
            if not ((z < 0).any() and (z > 0).any()):
                bad.append(f"layer {i} {act}: z not on both sides of 0")
        if act == "hard_linear":
            if not ((z.abs() < 1).any() and (z.abs() > 1).any()):
                bad.append(f"layer {i} hard_linear: not both inside/outside")
    if loss == "mae":
        d = (y - t).abs().min().item()
        if d < KINK_MARGIN:
            bad.append(f"mae: |y-t| = {d:.2e}")
    if loss == "binary_crossentropy":
        if not ((t == 0).any() and (t == 1).any()):
            bad.append("bce: targets are all one class")
    return bad


# ---------------------------------------------------- finite-difference check
def fd_check(x, t, params, layers, loss, grads):
    last_thr = max([i for i, (_, a) in enumerate(layers) if a == "threshold"],
                   default=-1)
    eps = 1e-6
    worst = 0.0
    checked = 0
    for li, p in enumerate(params):
        if li <= last_thr:
            continue  # STE gradient is not a true derivative
        for key in ("W", "b", "alpha"):
            if p[key] is None:
                continue
            flat = p[key].detach().view(-1)
            gflat = grads[li][key].view(-1)
            for j in range(flat.numel()):
                orig = flat[j].item()
                with torch.no_grad():
                    flat[j] = orig + eps
                    lp = compute_loss(x, t, params, layers, loss)[0].item()
                    flat[j] = orig - eps
                    lm = compute_loss(x, t, params, layers, loss)[0].item()
                    flat[j] = orig
                num = (lp - lm) / (2 * eps)
                err = abs(num - gflat[j].item()) / max(1.0, abs(num))
                worst = max(worst, err)
                checked += 1
    assert worst < 1e-7, f"finite-difference mismatch {worst:.3e}"
    return checked, worst


# ---------------------------------------------------------------------- main
def tolist(tensor):
    return None if tensor is None else tensor.detach().tolist()


def build_case(index, name, inputs, layers, loss, batch):
    rng = np.random.default_rng(BASE_SEED + index)
    for attempt in range(1000):
        x, t, params = draw(rng, inputs, layers, loss, batch)
        with torch.no_grad():
            _, zs, y = compute_loss(x, t, params, layers, loss)
        if not violations(layers, loss, zs, y, t):
            break
    else:
        raise RuntimeError(f"{name}: no acceptable draw")

    for p in params:
        for key in ("W", "b", "alpha"):
            if p[key] is not None:
                p[key].requires_grad_(True)
    L, zs, y = compute_loss(x, t, params, layers, loss)
    L.backward()
    grads = [{k: (p[k].grad.detach().clone() if p[k] is not None else None)
              for k in ("W", "b", "alpha")} for p in params]

    # final assertions on the recorded fixture
    assert not violations(layers, loss, zs, y, t)
    for v in [x, t] + [p[k] for p in params for k in ("W", "b", "alpha")
                       if p[k] is not None]:
        vv = v.detach()
        assert torch.equal(vv.float().double(), vv), "not float32-exact"
    # the logits-based losses must equal the textbook formula on y
    if loss == "binary_crossentropy":
        ref = -(t * torch.log(y) + (1 - t) * torch.log(1 - y)).mean()
        assert abs(ref.item() - L.item()) < 1e-12
    if loss == "categorical_crossentropy":
        ref = -(t * torch.log(y)).sum(-1).mean()
        assert abs(ref.item() - L.item()) < 1e-12
    checked, worst = fd_check(x, t, params, layers, loss, grads)

    case = {
        "name": name,
        "inputs": inputs,
        "loss": loss,
        "layers": [{"units": u, "activation": a} for u, a in layers],
        "x": tolist(x),
        "t": tolist(t),
        "params": [{k: tolist(p[k]) for k in ("W", "b", "alpha")}
                   for p in params],
        "output": tolist(y),
        "loss_value": L.item(),
        "grads": [{k: tolist(g[k]) for k in ("W", "b", "alpha")}
                  for g in grads],
    }
    info = (f"{name:32s} attempts={attempt + 1:3d} loss={L.item():.6f} "
            f"fd-checked={checked:3d} params (max rel err {worst:.1e})")
    return case, info


def main():
    out = {
        "generator": f"make_parity.py, torch {torch.__version__}, "
                     f"float64 reference",
        "cases": [],
    }
    for i, (name, inputs, layers, loss, batch) in enumerate(CASES):
        case, info = build_case(i, name, inputs, layers, loss, batch)
        out["cases"].append(case)
        print(info)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "parity.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    with open(path) as fh:
        back = json.load(fh)
    assert len(back["cases"]) == len(CASES) == 7
    assert all(math.isfinite(c["loss_value"]) for c in back["cases"])
    print(f"wrote {path} ({len(back['cases'])} cases, {out['generator']})")


if __name__ == "__main__":
    main()
