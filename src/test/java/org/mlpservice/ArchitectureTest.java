package org.mlpservice;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine is a library of its own inside the service: plain Java and EJML. The rules refuse to
 * pass on an empty engine package ({@code allowEmptyShould(false)}), so a renamed or moved engine
 * cannot make them vacuously green.
 */
@AnalyzeClasses(packages = "org.mlpservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ENGINE = "org.mlpservice.engine..";

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
}
