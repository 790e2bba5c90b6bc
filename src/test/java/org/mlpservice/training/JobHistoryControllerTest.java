package org.mlpservice.training;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.EventSender;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.engine.EpochStats;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.model.ModelRegistry;
import org.mlpservice.model.ModelSpecValidator;
import org.mlpservice.web.ApiException;
import org.mlpservice.web.LimitsProperties;
import org.mlpservice.web.SecurityProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** A long job answers a summary of its history; /history pages through all of it, and refuses bad pages. */
@WebMvcTest(TrainingJobController.class)
@Import({TrainingPlanner.class, ModelSpecValidator.class, EventSender.class})
@EnableConfigurationProperties({LimitsProperties.class, SecurityProperties.class})
class JobHistoryControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    DatasetCatalog datasets;
    @MockitoBean
    ModelRegistry models;
    @MockitoBean
    TrainingJobs jobs;

    private TrainingJob jobWith(int epochs) {
        TrainingJob job = new TrainingJob("j1", 1, TrainingFixtures.plan(20, epochs, 0.1, MatrixOps.ejml()), Clock.systemUTC());
        job.start();
        for (int n = 1; n <= epochs; n++) {
            job.epochCompleted(new EpochStats(n, 1.0 / n, null, 0.9, null, null, null, 1));
        }
        when(jobs.view("j1")).thenAnswer(call -> job.view(true));
        when(jobs.history(eq("j1"), anyInt(), anyInt())).thenAnswer(call -> job.history(call.getArgument(1), call.getArgument(2)));
        return job;
    }

    @Test
    void aLongJobAnswersTwoHundredEvenlySpacedEpochsAndTheHistoryPagesHoldThemAll() throws Exception {
        jobWith(5_000);

        mvc.perform(get("/api/v1/training-jobs/j1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.epoch").value(5_000))
                .andExpect(jsonPath("$.history.length()").value(200))
                .andExpect(jsonPath("$.history[0].epoch").value(1))
                .andExpect(jsonPath("$.history[199].epoch").value(5_000));
        mvc.perform(get("/api/v1/training-jobs/j1/history?offset=4990"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value("j1"))
                .andExpect(jsonPath("$.total").value(5_000))
                .andExpect(jsonPath("$.limit").value(1_000))
                .andExpect(jsonPath("$.epochs.length()").value(10))
                .andExpect(jsonPath("$.epochs[0].epoch").value(4_991))
                .andExpect(jsonPath("$.epochs[0].loss").value(1.0 / 4_991));
        mvc.perform(get("/api/v1/training-jobs/j1/history"))
                .andExpect(jsonPath("$.epochs.length()").value(1_000))
                .andExpect(jsonPath("$.epochs[999].epoch").value(1_000));
    }

    @Test
    void badPagesAreA400NamingEachParameterAndAnUnknownJobA404() throws Exception {
        jobWith(3);
        when(jobs.history(eq("nope"), anyInt(), anyInt())).thenThrow(ApiException.notFound("Training job", "nope"));

        mvc.perform(get("/api/v1/training-jobs/j1/history?offset=-1&limit=1001"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("offset", "limit")));
        mvc.perform(get("/api/v1/training-jobs/j1/history?limit=0"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/training-jobs/nope/history"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }
}
