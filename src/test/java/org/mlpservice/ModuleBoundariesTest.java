package org.mlpservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which feature package may use which (DESIGN.md, Layout): the packages form no cycle; {@code jobs}
 * knows no feature that runs on it; a training job knows nothing of searches or predictions; a
 * search trains as training does but never predicts; storage knows no feature it stores for. Each
 * rule refuses to pass on an empty package, so a renamed package cannot make it vacuously green.
 */
@AnalyzeClasses(packages = "org.mlpservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    private static final String[] FEATURES = {"org.mlpservice.dataset..", "org.mlpservice.model..",
            "org.mlpservice.training..", "org.mlpservice.selection..", "org.mlpservice.prediction.."};

    @ArchTest
    static final ArchRule packages_form_no_cycle =
            slices().matching("org.mlpservice.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule jobs_know_no_feature =
            noClasses().that().resideInAPackage("org.mlpservice.jobs..")
                    .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                    .because("training jobs and searches both run on jobs/, and a cluster store replaces its parts")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule training_knows_neither_searches_nor_predictions =
            noClasses().that().resideInAPackage("org.mlpservice.training..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.mlpservice.selection..", "org.mlpservice.prediction..")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule searches_do_not_predict =
            noClasses().that().resideInAPackage("org.mlpservice.selection..")
                    .should().dependOnClassesThat().resideInAPackage("org.mlpservice.prediction..")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule storage_knows_no_feature =
            noClasses().that().resideInAPackage("org.mlpservice.storage..")
                    .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                    .because("the data directory (or, in cluster mode, PostgreSQL) stores for the features, not the other way round")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule web_is_cross_cutting =
            noClasses().that().resideInAPackage("org.mlpservice.web..")
                    .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                    .because("web/ holds what every feature shares (errors, limits, security, OpenAPI), no feature's logic")
                    .allowEmptyShould(false);
}
