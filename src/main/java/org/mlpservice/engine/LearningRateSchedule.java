package org.mlpservice.engine;

/**
 * How the learning rate changes from epoch to epoch, as Keras' schedules and callbacks do it per
 * epoch. Epochs are counted from 0 here (Keras' {@code LearningRateScheduler} index): epoch 0
 * trains at the optimizer's own rate η unless a warm-up says otherwise.
 *
 * <ul>
 * <li>{@link Step}: η·factor^⌊e / every⌋.</li>
 * <li>{@link Exponential}: η·rate^e (Keras' ExponentialDecay with decay_steps = one epoch).</li>
 * <li>{@link Cosine}: Keras' CosineDecay over {@code epochs} (default: the run's) with a linear
 * warm-up of {@code warmupEpochs}: η·(e + 1)/w while e &lt; w (Keras starts its warm-up at a rate of
 * its own, usually 0, which would waste the first epoch), then
 * m + (η − m)·½(1 + cos(π·min(e − w, n − w)/(n − w))).</li>
 * <li>{@link ReduceOnPlateau}: Keras' ReduceLROnPlateau callback, which watches an epoch figure.</li>
 * </ul>
 */
public sealed interface LearningRateSchedule {

    /** This schedule's state for one run of {@code epochs} epochs from the rate {@code initial}. */
    Tracker start(double initial, int epochs);

    /** A schedule during one run: the rate of each epoch, told how each epoch went. */
    interface Tracker {
        /** The rate of epoch {@code epoch} (0-based), asked once per epoch in order. */
        double rate(int epoch);

        /** The figures of the epoch just trained. */
        default void epochEnded(EpochStats stats) {
        }
    }

    /** η·factor^⌊e / every⌋. */
    record Step(int every, double factor) implements LearningRateSchedule {
        public Step {
            if (every < 1 || !(factor >= 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("step needs every >= 1 and a finite factor >= 0");
            }
        }

        @Override
        public Tracker start(double initial, int epochs) {
            return e -> initial * Math.pow(factor, Math.floorDiv(e, every));
        }
    }

    /** η·rate^e. */
    record Exponential(double rate) implements LearningRateSchedule {
        public Exponential {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("exponential needs a finite rate > 0");
            }
        }

        @Override
        public Tracker start(double initial, int epochs) {
            return e -> initial * Math.pow(rate, e);
        }
    }

    /**
     * Cosine decay from η to {@code minLr} over {@code epochs} epochs (null: the run's), after a
     * linear warm-up of {@code warmupEpochs}; past its epochs the rate stays at minLr.
     */
    record Cosine(Integer epochs, double minLr, int warmupEpochs) implements LearningRateSchedule {
        public Cosine {
            if (epochs != null && epochs < 1 || !(minLr >= 0) || Double.isInfinite(minLr) || warmupEpochs < 0) {
                throw new IllegalArgumentException("cosine needs epochs >= 1, a finite minLr >= 0 and warmupEpochs >= 0");
            }
        }

        @Override
        public Tracker start(double initial, int runEpochs) {
            int n = epochs == null ? runEpochs : epochs;
            int span = Math.max(1, n - warmupEpochs);
            return e -> {
                if (e < warmupEpochs) {
                    return initial * (e + 1) / warmupEpochs;
                }
                double progress = Math.min(e - warmupEpochs, span) / (double) span;
                return minLr + (initial - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
            };
        }
    }

    /**
     * Keras' ReduceLROnPlateau: when {@code monitor} has not improved by more than minDelta for
     * {@code patience} epochs, the rate is multiplied by factor (not below minLr), then
     * {@code cooldown} epochs pass before waiting starts again. Losses are minimized, the other
     * figures (accuracy, r2 …) maximized. An epoch without the figure counts for nothing.
     */
    record ReduceOnPlateau(String monitor, double factor, int patience, double minDelta, double minLr, int cooldown)
            implements LearningRateSchedule {
        public ReduceOnPlateau {
            if (monitor == null || !(factor >= 0 && factor < 1) || patience < 0 || !(minDelta >= 0) || !(minLr >= 0)
                    || cooldown < 0) {
                throw new IllegalArgumentException("reduce_on_plateau needs a monitor, factor in [0, 1), patience, minDelta,"
                        + " minLr and cooldown >= 0");
            }
        }

        /** Keras' defaults: val_loss, factor 0.1, patience 10, minDelta 1e-4, minLr 0, cooldown 0. */
        public static ReduceOnPlateau defaults() {
            return new ReduceOnPlateau("val_loss", 0.1, 10, 1e-4, 0, 0);
        }

        boolean maximizes() {
            return !monitor.endsWith("loss");
        }

        @Override
        public Tracker start(double initial, int epochs) {
            return new Tracker() {
                private double rate = initial;
                private double best = maximizes() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                private int wait;
                private int cooldownCounter;

                @Override
                public double rate(int epoch) {
                    return rate;
                }

                @Override
                public void epochEnded(EpochStats stats) {
                    Double current = stats.get(monitor);
                    if (current == null) {
                        return;
                    }
                    if (cooldownCounter > 0) {
                        cooldownCounter--;
                        wait = 0;
                    }
                    boolean inCooldown = cooldownCounter > 0; // after the decrement, as Keras asks in_cooldown() again
                    boolean improved = maximizes() ? current > best + minDelta : current < best - minDelta;
                    if (improved) {
                        best = current;
                        wait = 0;
                    } else if (!inCooldown && ++wait >= patience) {
                        if ((float) rate > (float) minLr) { // Keras compares its float32 rate with np.float32(min_lr)
                            rate = Math.max(rate * factor, minLr);
                            cooldownCounter = cooldown;
                            wait = 0;
                        }
                    }
                }
            };
        }
    }
}
