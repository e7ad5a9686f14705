package io.audiosockets.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The README's code (these examples, character for character: {@link ReadmeExamplesTest}) is written against the
 * public API only, as a user's program would be.
 */
@AnalyzeClasses(packages = "io.audiosockets.examples", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiOnlyTest {

    @ArchTest
    static final ArchRule examplesUseThePublicApiOnly = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.audiosockets.internal..", "io.netty..")
            .because("io.audiosockets.internal and Netty are not the public API (docs/ARCHITECTURE.md): the README must not "
                    + "teach users to depend on them");
}
