package org.mlpservice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.mlpservice.engine.MatrixOps;

/**
 * The engine is a library of its own inside the service: plain Java and EJML. Inside it, the math
 * ({@code engine}) and the kernels ({@code engine.kernel}) meet at one interface, {@link MatrixOps}:
 * the kernels implement it and use nothing else of the engine, and the math reaches the kernels
 * only through it (its static methods create the backends). Between the features: the packages
 * form no cycle; {@code jobs}, {@code storage} and {@code web} know no feature; a training job knows
 * nothing of searches or predictions; a search never predicts. The rules refuse to pass on an empty
 * package ({@code allowEmptyShould(false)}), so a renamed or moved package cannot make them
 * vacuously green.
 */
@AnalyzeClasses(packages = "org.mlpservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ENGINE = "org.mlpservice.engine..";
    private static final String MATH = "org.mlpservice.engine";
    private static final String KERNEL = "org.mlpservice.engine.kernel..";

    @ArchTest
    static final ArchRule engine_does_not_depend_on_spring_or_the_servlet_api =
            noClasses().that().resideInAPackage(ENGINE)
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..")
                    .because("the engine must run without Spring, as a library of its own")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule engine_does_not_depend_on_the_rest_of_the_service =
            noClasses().that().resideInAPackage(ENGINE)
                    .should().dependOnClassesThat(
                            resideInAPackage("org.mlpservice..").and(resideOutsideOfPackage(ENGINE)))
                    .because("the service depends on the engine, never the other way round")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule the_kernels_are_reached_only_from_the_engine =
            classes().that().resideInAPackage(KERNEL)
                    .should().onlyHaveDependentClassesThat().resideInAPackage(ENGINE)
                    .because("the kernels are the engine's internals; the service uses MatrixOps")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule the_math_reaches_the_kernels_only_through_matrix_ops =
            noClasses().that().resideInAPackage(MATH).and().doNotBelongToAnyOf(MatrixOps.class)
                    .should().dependOnClassesThat().resideInAPackage(KERNEL)
                    .because("layers, optimizers and the training loop must not know which backend runs them")
                    .allowEmptyShould(false);

    @ArchTest
    static final ArchRule the_kernels_know_of_the_engine_only_matrix_ops =
            noClasses().that().resideInAPackage(KERNEL)
                    .should().dependOnClassesThat(resideInAPackage(MATH).and(not(belongToAnyOf(MatrixOps.class))))
                    .because("the kernels implement MatrixOps and know nothing of the math: the one edge back")
                    .allowEmptyShould(false);

    // Which feature package may use which (DESIGN.md, Layout).

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
