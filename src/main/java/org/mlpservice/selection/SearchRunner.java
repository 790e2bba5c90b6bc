package org.mlpservice.selection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlpservice.dataset.Task;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.StopReason;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.engine.TrainingListener;
import org.mlpservice.engine.TrainingResult;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelVersion;
import org.mlpservice.selection.SearchPlan.CandidatePlan;
import org.mlpservice.jobs.Claim;
import org.mlpservice.jobs.FenceLostException;
import org.mlpservice.jobs.JobState;
import org.mlpservice.training.Lineages;
import org.mlpservice.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one search on a worker thread: every candidate on every fold (the same folds for all, so
 * they are compared on the same splits), rung by rung for halving (the best 1/η of a rung go on to
 * the next, on more epochs), within the time limit and the patience; then, when asked, the best
 * candidate on every row, published as version 1 of a new model. Each fit starts from the base
 * model's seed and trains with its candidate's settings; the scaling is fitted on the fold's
 * training rows only, so the fold left out stays unseen. Whatever happens, the search ends in a
 * final state, keeping what it measured.
 */
final class SearchRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SearchRunner.class);

    private final SearchJob job;
    private final SearchPlan plan;
    private final ModelRegistry models;
    private final Claim.Fence fence;

    SearchRunner(SearchJob job, SearchPlan plan, ModelRegistry models) {
        this(job, plan, models, Claim.NONE);
    }

    /** {@code fence} guards the publication: in cluster mode, only while this replica's claim on the search holds. */
    SearchRunner(SearchJob job, SearchPlan plan, ModelRegistry models, Claim.Fence fence) {
        this.job = job;
        this.plan = plan;
        this.models = models;
        this.fence = fence;
    }

    @Override
    public void run() {
        if (!job.start()) {
            return; // cancelled while it waited
        }
        log.info("Search {} started: dataset {}, {} {} candidates × {} folds", job.id(), plan.datasetId(),
                plan.candidates().size(), plan.strategy().key(), plan.folds());
        try {
            String reason = crossValidate();
            if (reason == null) {
                return;
            }
            SearchView.Published published = null;
            if (plan.modelName() != null) {
                published = publishBest(reason);
                if (published == null) {
                    return;
                }
            }
            job.finish(JobState.SUCCEEDED, reason, published, null);
        } catch (IllegalArgumentException e) {
            // The engine's refusals are written for people ("no training rows left after the validation split").
            log.warn("Search {} could not run: {}", job.id(), e.getMessage());
            job.finish(JobState.FAILED, null, null, "The search could not run: " + e.getMessage());
        } catch (ApiException e) {
            log.warn("Search {} failed: {}", job.id(), e.getMessage());
            job.finish(JobState.FAILED, null, null, "The search failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("Search {} failed", job.id(), e);
            job.finish(JobState.FAILED, null, null, failedMessage());
        } finally {
            if (!job.state().finished()) {
                log.error("Search {} ended abnormally", job.id()); // only an Error gets here
                job.finish(JobState.FAILED, null, null, failedMessage());
            }
            log.info("Search {} ended: {}", job.id(), job.state());
        }
    }

    /**
     * Every candidate of every rung on every fold, within the budgets. Answers why measuring ended
     * (completed, early_stopping: the best stopped improving, time_limit), or null when a cancel
     * stopped it (the search is then recorded as cancelled). A fit cut short by the time limit is
     * not recorded: its figures would not be those of its epochs.
     */
    private String crossValidate() {
        Examples all = plan.examples();
        boolean classifier = plan.schema().task() == Task.CLASSIFICATION;
        int[][] folds = Folds.split(all, classifier, plan.folds(), plan.seed());
        long deadline = plan.maxRuntimeMillis() == 0 ? Long.MAX_VALUE : System.nanoTime() + plan.maxRuntimeMillis() * 1_000_000L;
        List<CandidatePlan> measured = plan.candidates();
        for (int r = 0; r < plan.rungs().size(); r++) {
            Integer rungEpochs = plan.rungs().get(r).epochs();
            for (CandidatePlan candidate : measured) {
                int epochs = rungEpochs == null ? candidate.config().epochs() : rungEpochs;
                job.rungStarted(candidate.index(), r, epochs);
                for (int f = 0; f < folds.length; f++) {
                    long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
                    if (deadline != Long.MAX_VALUE && left < 1) {
                        return StopReason.TIME_LIMIT.key();
                    }
                    long started = System.nanoTime();
                    Examples validation = all.select(folds[f]);
                    Examples train = all.select(Folds.complement(folds[f], all.rows()));
                    Network network = network(candidate.spec());
                    TrainingResult result = Trainer.fit(network, train, fitConfig(candidate.config(), epochs, left), new Listener(),
                            plan.schema().missing().statistic());
                    if (result.stopReason() == StopReason.CANCELLED) {
                        cancelled();
                        return null;
                    }
                    if (result.stopReason() == StopReason.TIME_LIMIT) {
                        return StopReason.TIME_LIMIT.key();
                    }
                    // Missing inputs filled by the fold's own fill values, fitted on its training rows.
                    Evaluation onTrain = Evaluation.of(network, network.imputer().fill(train));
                    Evaluation onValidation = Evaluation.of(network, network.imputer().fill(validation));
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    job.foldCompleted(candidate.index(), new FoldResult(f + 1, train.rows(), validation.rows(),
                            score(onTrain, classifier), score(onValidation, classifier), onTrain.loss(), onValidation.loss(),
                            result.history().size(), result.stopReason().key(), millis));
                }
                if (plan.patience() > 0 && job.sinceImprovement() >= plan.patience()) {
                    return StopReason.EARLY_STOPPING.key();
                }
            }
            if (r + 1 < plan.rungs().size()) {
                measured = job.top(measured, plan.rungs().get(r + 1).candidates());
            }
        }
        return StopReason.COMPLETED.key();
    }

    /**
     * Trains the best candidate on every row (on its own epochs, whatever rung it won on) and
     * publishes it; null when cancelled, diverged or none was measured (recorded so).
     */
    private SearchView.Published publishBest(String reason) {
        CandidatePlan best = job.best();
        if (best == null) {
            job.finish(JobState.FAILED, reason, null, "The search stopped (" + reason + ") before any candidate was measured"
                    + " on every fold; nothing was published. Allow more time (maxRuntimeSeconds) or use fewer epochs or folds.");
            return null;
        }
        Network network = network(best.spec());
        TrainingConfig config = fitConfig(best.config(), best.config().epochs(), 0);
        long started = System.nanoTime();
        TrainingResult result = Trainer.fit(network, plan.examples(), config, new Listener(),
                plan.schema().missing().statistic());
        long millis = (System.nanoTime() - started) / 1_000_000;
        job.finalFitDone();
        if (result.stopReason() == StopReason.CANCELLED) {
            cancelled();
            return null;
        }
        if (result.stopReason() == StopReason.DIVERGED || result.history().isEmpty()) {
            job.finish(JobState.FAILED, null, null, "The best candidate " + best.settings() + " diverged when trained on"
                    + " every row (the loss became NaN or infinite); nothing was published. Try a lower learning rate.");
            return null;
        }
        if (job.failure() != null) {
            cancelled(); // the dataset went while the last epoch ran: publish nothing
            return null;
        }
        NetworkSpec spec = best.spec();
        try {
            // In cluster mode one transaction checks this replica's fence, creates the model and inserts its version.
            return fence.guard(() -> {
                ModelDefinition model = models.create(plan.modelName(), spec.inputs(), spec.layers(), spec.loss(),
                        spec.initializer(), spec.seed());
                ModelVersion version = models.publish(model.id(), network, plan.schema(), job.id(), plan.datasetId(),
                        metrics(result, best), Lineages.of(job.id(), config, plan.schema(), network, plan.source(), null, result,
                                millis));
                return new SearchView.Published(model.id(), model.name(), version.version());
            });
        } catch (FenceLostException e) {
            log.warn("Search {}: {}", job.id(), e.getMessage());
            job.finish(JobState.FAILED, null, null, e.getMessage());
            return null;
        }
    }

    /** A candidate's settings for one fit: its epochs there, and what is left of the search's time (0: no limit). */
    private static TrainingConfig fitConfig(TrainingConfig c, int epochs, long maxRuntimeMillis) {
        return new TrainingConfig(epochs, c.batchSize(), c.optimizer(), c.l1(), c.l2(), c.validationSplit(), c.shuffle(),
                c.seed(), c.standardize(), c.earlyStopping(), maxRuntimeMillis, c.warmStart(), c.ops(), c.schedule(),
                c.clipNorm(), c.globalClipNorm(), c.classWeights());
    }

    /** What the published version says about itself: its last epoch, and the search it won. */
    private Map<String, Object> metrics(TrainingResult result, CandidatePlan best) {
        Map<String, Object> m = new LinkedHashMap<>(Lineages.metrics(result));
        m.put("searchId", job.id());
        m.put("cvFolds", plan.folds());
        Score score = job.view(false).best().validationScore();
        String metric = SearchJob.metric(plan.schema().task());
        m.put("cvVal" + Character.toUpperCase(metric.charAt(0)) + metric.substring(1) + "Mean", score.mean());
        m.put("cvVal" + Character.toUpperCase(metric.charAt(0)) + metric.substring(1) + "Std", score.std());
        m.put("hidden", best.hidden());
        m.put("searchedSettings", best.settings());
        return m;
    }

    private Network network(NetworkSpec spec) {
        Network network = Network.create(spec);
        network.setClasses(plan.schema().classes());
        return network;
    }

    private static double score(Evaluation e, boolean classifier) {
        return classifier ? e.accuracy() : e.r2();
    }

    /** Stopped between two mini-batches: by a cancel, or by the service failing it (its dataset was deleted). */
    private void cancelled() {
        if (job.failure() != null) {
            job.finish(JobState.FAILED, null, null, job.failure());
        } else {
            job.finish(JobState.CANCELLED, "cancelled", null, job.cancelNote());
        }
    }

    private String failedMessage() {
        return "The search failed unexpectedly; the failure is logged on the server (search " + job.id() + ")";
    }

    /** The engine asks after every mini-batch whether to stop. */
    private final class Listener implements TrainingListener {
        @Override
        public boolean stopRequested() {
            return job.cancelRequested();
        }
    }
}
