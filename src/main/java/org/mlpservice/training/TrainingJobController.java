package org.mlpservice.training;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.mlpservice.jobs.BackgroundJob;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.web.Pages;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Training jobs: start, watch (poll or Server-Sent Events), list, steer (pause, resume, step, change settings) and cancel. */
@RestController
@RequestMapping(path = "/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Train a model on a dataset in the background. A job goes QUEUED → RUNNING →"
        + " SUCCEEDED | FAILED | CANCELLED, and RUNNING ⇄ PAUSED while it is steered; a successful one publishes a new"
        + " model version.")
class TrainingJobController {

    private static final String PROBLEM = "application/problem+json";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    static final String PATCH_EXAMPLE = """
            {"optimizer": {"learningRate": 0.03}, "l2": 0.0001, "epochsPerSecond": 10}""";
    static final int MAX_HISTORY_PAGE = 1000;
    static final String LECTURE_EXAMPLE = """
            {
              "modelId": "lecture",
              "datasetId": "ds-lecture",
              "epochs": 100,
              "batchSize": 10,
              "optimizer": {"type": "sgd", "learningRate": 0.1}
            }""";
    static final String FULL_EXAMPLE = """
            {
              "modelId": "lecture",
              "datasetId": "ds-lecture",
              "epochs": 500,
              "batchSize": 10,
              "optimizer": {"type": "adam", "learningRate": 0.01, "clipNorm": 1.0,
                            "schedule": {"type": "cosine", "warmupEpochs": 5, "minLr": 0.0001}},
              "l2": 0.0001,
              "validationSplit": 0.2,
              "shuffle": true,
              "seed": 42,
              "standardize": true,
              "earlyStopping": {"monitor": "val_loss", "patience": 20, "minDelta": 0.0001, "restoreBestWeights": true},
              "maxRuntimeSeconds": 600,
              "warmStart": false
            }""";

    private final TrainingPlanner planner;
    private final TrainingJobs jobs;
    private final EventSender events;

    TrainingJobController(TrainingPlanner planner, TrainingJobs jobs, EventSender events) {
        this.planner = planner;
        this.jobs = jobs;
        this.events = events;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a training job",
            description = "Checks the request against the model, the dataset and the limits (every problem at once), then"
                    + " queues the job and answers 202 with its Location. Unset fields take Keras' defaults: 1 epoch, batch 32,"
                    + " rmsprop with its default settings, no validation split, shuffling, standardized inputs. Watch the job"
                    + " at its Location or its /events stream. The lecture's example: the circles dataset and the 2-20-1"
                    + " network, SGD with learning rate 0.1, batch 10, 100 epochs (replace the two ids with yours).")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TrainingRequest.class),
            examples = {
                    @ExampleObject(name = "lecture", summary = "The lecture's example: SGD, lr 0.1, batch 10, 100 epochs",
                            value = LECTURE_EXAMPLE),
                    @ExampleObject(name = "every setting", summary = "Adam, validation split, early stopping, time limit",
                            value = FULL_EXAMPLE)}))
    @ApiResponse(responseCode = "202", description = "Queued; Location names the job",
            headers = @Header(name = "Location", description = "/api/v1/training-jobs/{id}"),
            content = @Content(schema = @Schema(implementation = TrainingJobView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid settings, or a model that does not fit the dataset; errors[] lists every problem",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown modelId or datasetId",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "warmStart on a model that has no trained version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "Every worker is busy and the queue is full; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<TrainingJobView> start(@RequestBody TrainingRequest request) {
        TrainingJobView job = jobs.submit(planner.plan(request), request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(job.id()).toUri();
        return ResponseEntity.accepted().location(location).body(job);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List training jobs",
            description = "Newest first, optionally only those in one state. Each job without its per-epoch history (GET the"
                    + " job for it). Finished jobs are kept for mlp.training.keep-finished, at most mlp.training.max-finished.")
    @ApiResponse(responseCode = "200", description = "The jobs",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = TrainingJobView.class))))
    @ApiResponse(responseCode = "400", description = "Unknown state",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    List<TrainingJobView> list(@Parameter(description = "QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED (any case)",
                                          example = "RUNNING")
                               @RequestParam(required = false) String state) {
        return jobs.views(JobState.fromQuery(state, "job"));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a training job",
            description = "State, progress (0..1), epoch of epochs, ETA, per-epoch history (loss, valLoss, accuracy or r2,"
                    + " duration; at most " + TrainingJob.VIEW_HISTORY_POINTS + " epochs, evenly spaced over a longer run: all of"
                    + " them at /history), samples per second, stop reason, the published version or the error.")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    TrainingJobView get(@PathVariable String id) {
        return jobs.view(id);
    }

    @GetMapping(path = "/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Page through a training job's per-epoch history",
            description = "Every completed epoch, in order, " + MAX_HISTORY_PAGE + " at most per page. The job itself (GET, and"
                    + " the state and done events) carries at most " + TrainingJob.VIEW_HISTORY_POINTS + " epochs: all of a"
                    + " shorter history, else the first, the last and evenly spaced ones between.")
    @ApiResponse(responseCode = "200", description = "The page; total is the number of epochs completed so far")
    @ApiResponse(responseCode = "400", description = "offset below 0, or limit outside 1.." + MAX_HISTORY_PAGE,
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    HistoryPage history(@PathVariable String id,
                        @Parameter(description = "first epoch's place, from 0 (epoch offset + 1)") @RequestParam(defaultValue = "0") int offset,
                        @Parameter(description = "epochs to return, 1.." + MAX_HISTORY_PAGE)
                        @RequestParam(defaultValue = "" + MAX_HISTORY_PAGE) int limit) {
        Pages.check(offset, limit, MAX_HISTORY_PAGE);
        return jobs.history(id, offset, limit);
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a training job",
            description = "A queued job is cancelled at once (200, state CANCELLED). A running or paused one stops within one"
                    + " mini-batch (202, cancelRequested true; it then becomes CANCELLED and publishes nothing).")
    @ApiResponse(responseCode = "200", description = "Cancelled (it was waiting)")
    @ApiResponse(responseCode = "202", description = "Stopping (it was running)")
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has already finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<TrainingJobView> cancel(@PathVariable String id) {
        TrainingJobView job = jobs.cancelView(id);
        return ResponseEntity.status(job.state().finished() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
    }

    @PostMapping(path = "/{id}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Pause a running training job",
            description = "The job stops between two mini-batches (within one) and answers PAUSED. It keeps its weights,"
                    + " optimizer state, place in the epoch and random state, so that resuming gives the same bits as a run"
                    + " never paused; meanwhile it holds its worker. A job paused longer than mlp.training.max-pause is"
                    + " cancelled, its error saying why. Should the mini-batch outlast " + BackgroundJob.STEER_WAIT_SECONDS + " s, the answer is the job"
                    + " still RUNNING; it pauses when the mini-batch ends.")
    @ApiResponse(responseCode = "200", description = "Paused (or ended before it could pause)")
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job is not RUNNING (queued, paused or finished); state names it",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    TrainingJobView pause(@PathVariable String id) {
        return jobs.pause(id);
    }

    @PostMapping(path = "/{id}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Resume a paused training job",
            description = "The job runs on from the mini-batch where it paused (RUNNING), as if it had never paused.")
    @ApiResponse(responseCode = "200", description = "Running again")
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job is not PAUSED; state names its state",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    TrainingJobView resume(@PathVariable String id) {
        return jobs.resume(id);
    }

    @PostMapping(path = "/{id}/step", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Step a paused training job",
            description = "Runs exactly epochs=n more epochs (the first one finishes the epoch it paused in) or batches=n more"
                    + " mini-batches, then pauses again, and answers the job then: PAUSED, or finished when training ended"
                    + " in the step. Give one of the two, 1 .. what the whole job trains.")
    @ApiResponse(responseCode = "200", description = "Paused again after the step (or finished)")
    @ApiResponse(responseCode = "400", description = "Neither or both of epochs and batches, or a count out of range",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job is not PAUSED; state names its state",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    TrainingJobView step(@PathVariable String id,
                         @Parameter(description = "epochs to run", example = "1") @RequestParam(required = false) Integer epochs,
                         @Parameter(description = "mini-batches to run") @RequestParam(required = false) Long batches) {
        return jobs.step(id, epochs, batches);
    }

    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a running training job's settings",
            description = "Any of optimizer.learningRate, optimizer.momentum (sgd and rmsprop), l1, l2, dropout (the rate of"
                    + " every hidden layer's dropout, for a model created with dropout) and epochsPerSecond (a throttle, null for"
                    + " none; the job holds its worker while it waits) on a RUNNING or PAUSED job. They take effect from the"
                    + " next mini-batch; the answer comes once they have, with every change in changes (epoch, batch, field,"
                    + " from, to), which the published version's lineage keeps and the event stream sends as change events.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SettingsPatch.class),
                    examples = @ExampleObject(name = "faster", value = PATCH_EXAMPLE)),
            @Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = SettingsPatch.class))})
    @ApiResponse(responseCode = "200", description = "The job with its new settings")
    @ApiResponse(responseCode = "400", description = "A bad value, or a field that cannot change while a job runs; errors[] names each",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job is not RUNNING or PAUSED, or cannot change that field (momentum on"
            + " adam, the learning rate under a schedule, dropout on a model without it); state names its state",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    TrainingJobView change(@PathVariable String id, @RequestBody Map<String, Object> body) {
        return jobs.patch(id, body);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Watch a training job as Server-Sent Events",
            description = """
                    A text/event-stream with these event names, each with JSON data:
                    - `state` (first, once): the job as GET /training-jobs/{id} answers it;
                    - `epoch` (once per completed epoch, in order): {jobId, epoch, epochs, progress, etaSeconds,
                      stats: {epoch, loss, valLoss, accuracy, valAccuracy, r2, valR2, logLoss, valLogLoss, valAuc,
                      f1, valF1, durationMillis}}; figures that do not apply are null (accuracy, logLoss and the macro
                      f1 for classification, valAuc for a binary target only, exact on the epoch's final weights, r2
                      for regression, val* with a validation split);
                    - `state` again whenever the job is paused or runs on (resumed, stepping): the job then;
                    - `change` (once per setting a PATCH changed): {jobId, epoch, batch, field, from, to};
                    - `done` (last, once): the job as it ended (SUCCEEDED, FAILED or CANCELLED); then the stream closes.
                    A client that connects after the job finished gets `state` and `done` at once. A client that reads
                    too slowly to keep up is sent `state` again (the job as it is then) in place of the epochs it missed.
                    At most mlp.events.max-streams-per-job streams per job (429 beyond) and mlp.events.max-streams in
                    all (503 beyond), with Retry-After.""")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
                    examples = @ExampleObject(value = """
                            event:state
                            data:{"id":"…","state":"RUNNING","epoch":0,"epochs":100,"progress":0.0,…}

                            event:epoch
                            data:{"jobId":"…","epoch":1,"epochs":100,"progress":0.01,"etaSeconds":2,"stats":{"epoch":1,"loss":0.69,"accuracy":0.52,…}}

                            event:done
                            data:{"id":"…","state":"SUCCEEDED","progress":1.0,"result":{"modelId":"…","version":1},…}
                            """)))
    @ApiResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "Too many event streams open on this job; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Too many event streams open in all; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    SseEmitter events(@PathVariable String id) {
        SseEmitter emitter = new SseEmitter(0L); // no timeout: it lasts as long as the job (or the client)
        JobEventStream.open(jobs.watch(id), emitter, events);
        return emitter;
    }
}
