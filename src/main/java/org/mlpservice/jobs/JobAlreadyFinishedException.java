package org.mlpservice.jobs;

/** 409: the job has already ended and can no longer be cancelled; the problem names its {@code state}. */
public class JobAlreadyFinishedException extends JobStateConflictException {

    /** {@code kind} as the user reads it: "Training job" (titled "Job already finished"), "Search". */
    public JobAlreadyFinishedException(String kind, String id, JobState state) {
        super(title(kind), kind, id, state, "can no longer be cancelled");
    }

    private static String title(String kind) {
        String last = kind.substring(kind.lastIndexOf(' ') + 1);
        return Character.toUpperCase(last.charAt(0)) + last.substring(1) + " already finished";
    }
}
