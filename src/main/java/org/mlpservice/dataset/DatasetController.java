package org.mlpservice.dataset;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.Pages;
import org.mlpservice.web.LimitsProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The Datasets resource: upload or generate, list, describe, preview rows, delete. */
@RestController
@RequestMapping(path = "/api/v1/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Datasets", description = "Upload a CSV or generate a synthetic set; the task and column types are inferred")
@ApiResponse(responseCode = "400", description = "Invalid request: errors[] names each bad field or CSV line",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
class DatasetController {

    static final String TEXT_CSV = "text/csv";
    static final int MAX_PAGE = 1000;

    private static final String IRIS_SAMPLE = """
            sepal_length,sepal_width,petal_length,petal_width,species
            5.1,3.5,1.4,0.2,setosa
            4.9,3.0,1.4,0.2,setosa
            4.7,3.2,1.3,0.2,setosa
            7.0,3.2,4.7,1.4,versicolor
            6.4,3.2,4.5,1.5,versicolor
            6.9,3.1,4.9,1.5,versicolor
            6.3,3.3,6.0,2.5,virginica
            5.8,2.7,5.1,1.9,virginica
            7.1,3.0,5.9,2.1,virginica
            """;

    /** Blank, NA, ? and null cells: with the default missing=mean it trains; ignore=id keeps the numeric id apart from the features. */
    private static final String MISSING_SAMPLE = """
            id,sepal_length,sepal_width,color,species
            1,5.1,3.5,pale,setosa
            2,4.9,,pale,setosa
            3,NA,3.2,,setosa
            4,7.0,3.2,dark,versicolor
            5,6.4,?,dark,versicolor
            6,6.9,3.1,null,versicolor
            """;

    private final DatasetCatalog catalog;
    private final DatasetIntake intake;
    private final LimitsProperties limits;

    DatasetController(DatasetCatalog catalog, DatasetIntake intake, LimitsProperties limits) {
        this.catalog = catalog;
        this.intake = intake;
        this.limits = limits;
    }

    /** Documents the multipart form in Swagger UI (the handler reads the parts itself). */
    @Schema(name = "DatasetUploadForm")
    record UploadForm(@Schema(type = "string", format = "binary", description = "the CSV file; first line names the columns")
                      String file) {
    }

    @Operation(summary = "Upload a CSV dataset",
            description = """
                    Send the CSV as multipart/form-data (part `file`) or as the raw body with Content-Type text/csv.
                    `name` and `target` are request parameters (query string, or form fields of the multipart
                    request). `target` names the target column; repeat it or separate names by commas for several
                    targets (regression). The first CSV line names the columns; every other column is a feature.
                    A column is numeric when every value is a number, else categorical (one-hot encoded, levels
                    sorted); when at least 90% of a column are numbers, the others are reported as typos. The task
                    is `classification` for a non-numeric target or one with at most 20 distinct whole numbers,
                    else `regression`; `task` forces it. Missing cells (blank, `NA`, `NaN`, `null`, `?`, any case)
                    follow `missing`: `mean` (default) or `median` keep a numeric feature's missing cells, and training
                    fills them with the mean or median of its training rows (stored with the version, so a prediction
                    with a null answers too); a categorical feature gets the level `<missing>`; `drop_rows` drops every
                    row with a missing cell (the description says how many); `error` refuses them, naming each line.
                    A missing target is refused unless `drop_rows`. `ignore` names columns (an id) that are neither
                    features nor targets; a numeric one is kept apart (role `ignored` in the description), usable as a
                    training job's `weightColumn`, the others dropped. Problems are listed with their CSV line, at most 20 at a time. A categorical feature with more levels than
                    `mlp.limits.levels` (default 1000) is refused, or with `highCardinality=hash` hashed into that
                    many one-hot buckets (FNV-1a of the UTF-8 text, modulo the bucket count; predictions by column
                    name hash the same way). The values must fit in `mlp.limits.dataset-bytes` (4 bytes each, as
                    read and once one-hot encoded), else 413 naming the columns that expand.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class)),
                    @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string"),
                            examples = {@ExampleObject(name = "iris (9 rows)", value = IRIS_SAMPLE),
                                    @ExampleObject(name = "with missing values and an id (ignore=id)",
                                            value = MISSING_SAMPLE)})}))
    @ApiResponse(responseCode = "201", description = "Stored; Location names the new dataset")
    @ApiResponse(responseCode = "413", description = "Larger than mlp.limits.upload-size, or its values (as read or "
            + "encoded) larger than mlp.limits.dataset-bytes",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "Neither multipart/form-data nor text/csv",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, TEXT_CSV})
    ResponseEntity<DatasetDescription> upload(
            @Parameter(description = "the dataset's name", example = "iris", required = true) @RequestParam(required = false) String name,
            @Parameter(description = "target column(s): repeat or comma-separate for several (regression)", required = true,
                    example = "[\"species\"]", array = @ArraySchema(schema = @Schema(type = "string", example = "species")))
            @RequestParam(required = false) List<String> target,
            @Parameter(description = "force the task instead of inferring it",
                    schema = @Schema(allowableValues = {"classification", "regression"}))
            @RequestParam(required = false) String task,
            @Parameter(description = "a categorical feature with more levels than mlp.limits.levels: refuse it (400) "
                    + "or hash it into that many one-hot buckets",
                    schema = @Schema(allowableValues = {"refuse", "hash"}, defaultValue = "refuse"))
            @RequestParam(required = false) String highCardinality,
            @Parameter(description = "missing cells (blank, NA, NaN, null, ?): numeric features filled at training with "
                    + "the mean or median of the training rows, categorical ones a '<missing>' level; or drop_rows, "
                    + "or error (400 naming the lines)",
                    schema = @Schema(allowableValues = {"mean", "median", "drop_rows", "error"}, defaultValue = "mean",
                            example = "median"))
            @RequestParam(required = false) String missing,
            @Parameter(description = "columns that are neither features nor targets (an id, a weight): repeat or comma-separate; "
                    + "a numeric one is kept apart (role ignored in the description) and usable as a training job's weightColumn",
                    array = @ArraySchema(schema = @Schema(type = "string", example = "id")))
            @RequestParam(required = false) List<String> ignore,
            @Parameter(hidden = true) @RequestPart(name = "file", required = false) MultipartFile file,
            @Parameter(hidden = true) HttpServletRequest request) throws IOException {
        boolean multipart = MediaType.MULTIPART_FORM_DATA.isCompatibleWith(contentType(request));
        List<ApiError> more = new ArrayList<>();
        if (multipart && file == null) {
            more.add(new ApiError("file", "is required: the CSV as multipart part 'file'"));
        }
        UploadRequest upload = UploadRequest.of(name, target, task, highCardinality, missing, ignore, more);
        long size = multipart ? file.getSize() : request.getContentLengthLong();
        if (size > limits.uploadSize().toBytes()) {
            // Known too large before reading a byte of it.
            throw new UploadTooLargeException(limits.uploadSize().toBytes());
        }
        DatasetDescription created;
        try (InputStream body = multipart ? file.getInputStream() : request.getInputStream()) {
            created = intake.upload(body, multipart ? StandardCharsets.UTF_8 : charset(request), upload);
        }
        return ResponseEntity.created(location(created.id())).body(created);
    }

    @Operation(summary = "Generate a synthetic dataset",
            description = """
                    The lecture's and the TensorFlow Playground's sets, seeded: `circles` (sklearn make_circles:
                    samples, noise, factor), `moons`, `xor`, `gauss`, `spiral` (classification, features x1, x2,
                    target `label` with classes "0" and "1") and `plane` (regression, target `y`).""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = GenerateRequest.class),
                    examples = {
                            @ExampleObject(name = "lecture circles", value = """
                                    {"kind": "circles", "samples": 100, "noise": 0.15, "factor": 0.3, "seed": 0, "name": "circles"}"""),
                            @ExampleObject(name = "moons", value = """
                                    {"kind": "moons", "samples": 200, "noise": 0.1}"""),
                            @ExampleObject(name = "plane (regression)", value = """
                                    {"kind": "plane", "samples": 200, "noise": 0.05}""")})))
    @ApiResponse(responseCode = "201", description = "Generated and stored; Location names the new dataset")
    @PostMapping(path = "/generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatasetDescription> generate(@RequestBody GenerateRequest body) {
        DatasetDescription created = intake.generate(body.resolve(limits.rows()));
        return ResponseEntity.created(location(created.id())).body(created);
    }

    /**
     * Without this, {@code GET /generate} would match {@code GET /{id}} and answer "Dataset 'generate'
     * does not exist"; it is the generate operation, asked with the wrong method.
     */
    @Operation(hidden = true)
    @RequestMapping(path = "/generate", method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH})
    void generateTakesOnlyPost(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
    }

    @Operation(summary = "List datasets", description = "Every dataset, newest first, without columns and rows.")
    @GetMapping
    List<DatasetSummary> list() {
        return catalog.summaries();
    }

    @Operation(summary = "Describe a dataset",
            description = "Rows, task, targets, sha256, network widths, every column with its type, role, "
                    + "statistics (mean, std, min, max, or levels with counts) and missing cells (`missing`), the "
                    + "classes with their counts, and the missing-value policy with the rows it dropped (`missingValues`).")
    @ApiResponse(responseCode = "200", description = "The description")
    @ApiResponse(responseCode = "404", description = "No dataset has this id",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{id}")
    DatasetDescription describe(@Parameter(example = LectureCircles.ID) @PathVariable String id) {
        return catalog.describe(id);
    }

    @Operation(summary = "Preview rows",
            description = "Rows decoded back to column values (numbers, category names, class labels), "
                    + "`limit` at most " + MAX_PAGE + ".")
    @ApiResponse(responseCode = "200", description = "The page")
    @ApiResponse(responseCode = "404", description = "No dataset has this id",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{id}/rows")
    RowsPage rows(@Parameter(example = LectureCircles.ID) @PathVariable String id,
                  @Parameter(description = "first row, from 0") @RequestParam(defaultValue = "0") int offset,
                  @Parameter(description = "rows to return, 1.." + MAX_PAGE) @RequestParam(defaultValue = "20") int limit) {
        Pages.check(offset, limit, MAX_PAGE);
        return catalog.rows(id, offset, limit);
    }

    @Operation(summary = "Delete a dataset", description = "Removes the dataset and its files. Trained model versions keep working.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No dataset has this id",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        catalog.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static URI location(String id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/datasets/{id}").buildAndExpand(id).toUri();
    }

    private static MediaType contentType(HttpServletRequest request) {
        try {
            return request.getContentType() == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parseMediaType(request.getContentType());
        } catch (IllegalArgumentException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }

    /**
     * The charset the Content-Type header declares, UTF-8 when none. Read from the header itself:
     * the request's character encoding is forced to UTF-8 by Boot's encoding filter, so a CSV
     * declared as {@code charset=ISO-8859-1} would otherwise be decoded as UTF-8.
     */
    private static Charset charset(HttpServletRequest request) {
        MediaType type;
        try {
            String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
            type = header == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parseMediaType(header);
        } catch (IllegalArgumentException e) {
            type = contentType(request);
        }
        try {
            Charset declared = type.getCharset();
            return declared == null ? StandardCharsets.UTF_8 : declared;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Unknown charset", List.of(new ApiError("Content-Type",
                    "charset '" + type.getParameter("charset") + "' is not supported")));
        }
    }
}
