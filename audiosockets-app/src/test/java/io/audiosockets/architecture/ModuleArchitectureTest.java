package io.audiosockets.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules between modules (docs/ARCHITECTURE.md), checked on every class the app is built
 * from (core, dsp, ml, processors, tools, the command line, and the testkit its tests use), so
 * that a change that breaks one fails {@code mvn verify}, saying which rule and why.
 */
@AnalyzeClasses(packages = "io.audiosockets", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArchitectureTest {
    private static final String[] CORE = {"io.audiosockets.audio..", "io.audiosockets.client..", "io.audiosockets.config..",
        "io.audiosockets.mailman..", "io.audiosockets.processor..", "io.audiosockets.protocol..", "io.audiosockets.recorder..",
        "io.audiosockets.internal.."};
    private static final String[] ABOVE_CORE = {"io.audiosockets.dsp..", "io.audiosockets.ml..", "io.audiosockets.builtin..",
        "io.audiosockets.cli..", "io.audiosockets.loadtest..", "io.audiosockets.fuzz..", "io.audiosockets.testkit.."};
    private static final String[] TOOLS_AND_CLI = {"io.audiosockets.cli..", "io.audiosockets.loadtest..", "io.audiosockets.fuzz..",
        "picocli.."};

    @ArchTest
    static final ArchRule coreKnowsNothingAboveIt = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(ABOVE_CORE)
            .because("audiosockets-core is what a processor depends on: it must not pull in DSP, models, the CLI, the tools "
                    + "or the testkit");

    @ArchTest
    static final ArchRule dspIsPure = noClasses().that().resideInAPackage("io.audiosockets.dsp..")
            .should().dependOnClassesThat(resideInAnyPackage("io.audiosockets..", "io.netty..")
                    .and(resideOutsideOfPackage("io.audiosockets.dsp..")))
            .because("audiosockets-dsp is samples in, numbers out: no networking and nothing else of ours, not even AudioChunk");

    @ArchTest
    static final ArchRule modelsUseTheClientsNotTheMailman = noClasses().that().resideInAPackage("io.audiosockets.ml..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.mailman..", "io.audiosockets.builtin..",
                    "io.audiosockets.cli..", "io.audiosockets.loadtest..", "io.audiosockets.fuzz..", "io.netty..")
            .because("audiosockets-ml runs models in processors: it reaches the mailman as any client does");

    @ArchTest
    static final ArchRule builtInProcessorsUseThePublicApiOnly = noClasses().that().resideInAPackage("io.audiosockets.builtin..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.internal..", "io.netty..")
            .because("the built-in processors are written as a user would write theirs: if they need an internal class, the "
                    + "public API is missing something");

    @ArchTest
    static final ArchRule builtInProcessorsNeedNoCommandLine = noClasses().that().resideInAPackage("io.audiosockets.builtin..")
            .should().dependOnClassesThat().resideInAnyPackage(TOOLS_AND_CLI)
            .because("the built-in processors are meant for a user's own program too, without the command line or the tools");

    @ArchTest
    static final ArchRule theToolsDoNotNeedTheCommandLine = noClasses().that().resideInAnyPackage("io.audiosockets.loadtest..",
                    "io.audiosockets.fuzz..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.cli..", "picocli..")
            .because("the load tool and the fuzzer are libraries the CLI drives, not parts of it");

    @ArchTest
    static final ArchRule nothingShippedDependsOnTheTestkit = noClasses().that().resideOutsideOfPackage("io.audiosockets.testkit..")
            .should().dependOnClassesThat().resideInAPackage("io.audiosockets.testkit..")
            .because("the testkit is for tests: the jar a user runs must not need it");
}
