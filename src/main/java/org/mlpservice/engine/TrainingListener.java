package org.mlpservice.engine;

/** Hears about a training run while it goes and can stop it. Methods run on the training thread. */
public interface TrainingListener {

    /** After each epoch, with what it measured. */
    default void onEpoch(EpochStats stats, int totalEpochs) {
    }

    /** Asked after every mini-batch; true stops training as {@link StopReason#CANCELLED}. */
    default boolean stopRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
