package org.mlpservice.engine;

/**
 * Hears about a training run while it goes and can stop, hold or steer it. Methods run on the
 * training thread.
 */
public interface TrainingListener {

    /**
     * Before every mini-batch ({@code batch} 0-based within {@code epoch}, 1-based; batch 0 comes after
     * the previous epoch's {@link #onEpoch}): the listener may hold the training thread here (a pause,
     * a throttle) and change settings through {@code controls}. Holding loses nothing: the weights,
     * optimizer state, place in the epoch and random state wait as they are, so a run held and let go
     * gives the same bits as one never held. Answers the nanoseconds it held the thread, which count
     * neither toward the epoch's duration nor toward the time limit. Must not allocate when it does nothing.
     */
    default long beforeBatch(int epoch, int batch, TrainingControls controls) {
        return 0;
    }

    /** After each epoch, with what it measured. */
    default void onEpoch(EpochStats stats, int totalEpochs) {
    }

    /** Asked after every mini-batch and after {@link #beforeBatch}; true stops training as {@link StopReason#CANCELLED}. */
    default boolean stopRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
