package org.mlpservice.selection;

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
import java.util.Arrays;
import java.util.List;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.jobs.JobState;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Cross-validation searches over hidden layouts or a space of settings: start, watch (poll or Server-Sent Events), list and cancel. */
@RestController
@RequestMapping(path = "/api/v1/searches")
@Tag(name = "Searches", description = "Choose the hidden layout, or any training setting, by k-fold cross-validation:"
        + " every candidate is trained on k − 1 folds and scored on the one left out; grid, random or successive halving,"
        + " within budgets. A search runs on the training workers and goes QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED.")
class SearchController {

    private static final String PROBLEM = "application/problem+json";

    private final SearchPlanner planner;
    private final SearchJobs searches;
    private final EventSender events;

    SearchController(SearchPlanner planner, SearchJobs searches, EventSender events) {
        this.events = events;
        this.planner = planner;
        this.searches = searches;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a cross-validation search", description = """
            Compares hidden layouts (`candidates`, units per hidden layer) on a dataset by k-fold cross-validation \
            (`folds`, default 5, stratified by class for classification; seeded, so the same seed gives the same folds \
            and results). Each candidate's network is the base model with its hidden layers: `baseModel` gives the output \
            layer, the loss, the initializer, the seed and the hidden `activation` (or `modelId` takes them from an \
            existing model). Training settings have a training job's shape, defaults and rules. \
            `space` searches any setting by its path (a training setting such as `optimizer.learningRate`, `l2`, \
            `batchSize`, `optimizer.type`, `earlyStopping.patience`, or `hidden`, `activation`, `layers[*].dropout`): a \
            list of values, or `{"log_uniform": [low, high]}`, `{"uniform": [low, high]}`, `{"int_uniform": [low, high]}`. \
            `strategy`: `grid` (every combination of the lists), `random` (`maxCandidates` draws, seeded) or `halving` \
            (the draws raced over epochs, the best 1/`halvingFactor` of each rung kept). Budgets: `maxCandidates`, \
            `maxRuntimeSeconds`, `patience` (stop when the best has not improved for that many candidates). Per \
            candidate the search reports its settings and mean ± std over the folds of the validation score (accuracy \
            or R²) and loss and of the training score and loss, the parameter count and its ratio to the rows, the \
            epochs, the time, the stop reason and the rank (one that diverged ranks last); then the best candidate \
            (ties: fewer parameters). With `publish`, the best is trained on every row and published as version 1 of a \
            new model. Everything is checked first and every problem answered at once (400, each field named; the work \
            of the whole search as the strategy trains it is bounded by mlp.limits.epoch-rows); the search then waits \
            for a training worker (202 + Location; a full queue answers 429 with Retry-After).""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SearchRequest.class),
            examples = {
                    @ExampleObject(name = "circles", summary = "The lecture's circles: 1 to 50 hidden units, 5 folds",
                            value = SearchExamples.CIRCLES),
                    @ExampleObject(name = "iris", summary = "Iris, stratified 5-fold, the best published as a new model",
                            value = SearchExamples.IRIS),
                    @ExampleObject(name = "from a model", summary = "The base taken from an existing model",
                            value = SearchExamples.FROM_MODEL),
                    @ExampleObject(name = "random", summary = "Digits: 8 random draws of the learning rate and L2 (log scale),"
                            + " 3 folds, at most 2 minutes", value = SearchExamples.RANDOM)}))
    @ApiResponse(responseCode = "202", description = "Queued; Location names the search",
            headers = @Header(name = "Location", description = "/api/v1/searches/{id}"),
            content = @Content(schema = @Schema(implementation = SearchView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid search: errors[] lists every problem", content = @Content(
            mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
            examples = @ExampleObject(value = SearchExamples.INVALID_PROBLEM)))
    @ApiResponse(responseCode = "404", description = "Unknown datasetId or modelId",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "Every training worker is busy and the queue is full; try again after"
            + " Retry-After seconds", headers = @Header(name = "Retry-After", description = "seconds",
            schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<SearchView> start(@RequestBody SearchRequest request) {
        SearchView search = searches.submit(planner.plan(request), request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(search.id()).toUri();
        return ResponseEntity.accepted().location(location).body(search);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List searches", description = "Newest first, optionally only those in one state; each without its"
            + " candidates (GET the search for them), with its best candidate once known. Finished searches are kept as"
            + " long as finished training jobs (mlp.training.keep-finished, at most mlp.training.max-finished).")
    @ApiResponse(responseCode = "200", description = "The searches",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = SearchView.class))))
    @ApiResponse(responseCode = "400", description = "Unknown state",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    List<SearchView> list(@Parameter(description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED (any case)", example = "SUCCEEDED")
                          @RequestParam(required = false) String state) {
        return searches.views(JobState.fromQuery(state, "search"));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a search", description = "State, progress (fits done / fits in all), ETA, every candidate with"
            + " its scores so far (mean ± std over the folds measured, and each fold), the rank and best candidate once all"
            + " are measured, the published model, or the error.")
    @ApiResponse(responseCode = "200", description = "The search", content = @Content(
            schema = @Schema(implementation = SearchView.class), examples = @ExampleObject(value = SearchExamples.RESULT)))
    @ApiResponse(responseCode = "404", description = "Unknown search",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    SearchView get(@PathVariable String id) {
        return searches.view(id);
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a search", description = "A queued search is cancelled at once (200, state CANCELLED). A"
            + " running one stops within one mini-batch (202, cancelRequested true; it then becomes CANCELLED, keeps the"
            + " folds measured so far, ranks the candidates measured on every fold and publishes nothing).")
    @ApiResponse(responseCode = "200", description = "Cancelled (it was waiting)")
    @ApiResponse(responseCode = "202", description = "Stopping (it was running)")
    @ApiResponse(responseCode = "404", description = "Unknown search",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The search has already finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<SearchView> cancel(@PathVariable String id) {
        SearchView search = searches.cancelView(id);
        return ResponseEntity.status(search.state().finished() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(search);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Watch a search as Server-Sent Events", description = """
            A text/event-stream with four event names, each with JSON data:
            - `state` (first, once): the search as GET /searches/{id} answers it;
            - `fold` (once per candidate and fold, in order): {searchId, candidate, hidden, settings, rung (halving),
              fitsDone, fitsTotal, progress, etaSeconds, result: {fold, trainRows, validationRows, trainScore,
              validationScore, trainLoss, validationLoss, epochs, stopReason, millis}};
            - `candidate` (after a candidate's last fold, of each rung for halving): {searchId, fitsDone, fitsTotal,
              progress, candidate: {index, hidden, settings, layout, parameters, parametersPerRow, epochs,
              validationScore: {mean, std}, trainScore, validationLoss, trainLoss, stopReason, ...}};
            - `done` (last, once): the search as it ended; then the stream closes.
            A client that connects after the search finished gets `state` and `done` at once. A client that reads
            too slowly to keep up is sent `state` again (the search as it is then) in place of the events it missed.
            At most mlp.events.max-streams-per-job streams per search (429 beyond) and mlp.events.max-streams in
            all (503 beyond), with Retry-After.""")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
                    examples = @ExampleObject(value = """
                            event:state
                            data:{"id":"…","state":"RUNNING","fitsDone":0,"fitsTotal":25,"progress":0.0,…}

                            event:fold
                            data:{"searchId":"…","candidate":0,"hidden":[1],"fitsDone":1,"fitsTotal":25,"progress":0.04,"result":{"fold":1,"validationScore":0.6,…}}

                            event:candidate
                            data:{"searchId":"…","fitsDone":5,"fitsTotal":25,"progress":0.2,"candidate":{"index":0,"hidden":[1],"validationScore":{"mean":0.62,"std":0.09},…}}

                            event:done
                            data:{"id":"…","state":"SUCCEEDED","progress":1.0,"best":{"index":2,"hidden":[20],…},…}
                            """)))
    @ApiResponse(responseCode = "404", description = "Unknown search",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "Too many event streams open on this search; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Too many event streams open in all; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    SseEmitter events(@PathVariable String id) {
        SseEmitter emitter = new SseEmitter(0L); // no timeout: it lasts as long as the search (or the client)
        SearchEventStream.open(searches.watch(id), emitter, events);
        return emitter;
    }
}
