package io.audiosockets.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The rules between modules (docs/ARCHITECTURE.md), checked on every class the app is built
 * from (core, dsp, ml, processors, http, kafka, tools, the command line, and the testkit its tests use), so
 * that a change that breaks one fails {@code mvn verify}, saying which rule and why.
 */
@AnalyzeClasses(packages = "io.audiosockets", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArchitectureTest {
    private static final String[] CORE = {"io.audiosockets.audio..", "io.audiosockets.client..", "io.audiosockets.config..",
        "io.audiosockets.mailman..", "io.audiosockets.processor..", "io.audiosockets.protocol..", "io.audiosockets.recorder..",
        "io.audiosockets.internal.."};
    /** The HTTP side's internals live under {@code internal} too, but in audiosockets-http, above core. */
    private static final String HTTP_INTERNALS = "io.audiosockets.internal.http..";
    private static final String[] HTTP = {"io.audiosockets.http..", HTTP_INTERNALS};
    /** Likewise the Kafka side's internals, in audiosockets-kafka; Kafka's clients are its dependency alone. */
    private static final String KAFKA_INTERNALS = "io.audiosockets.internal.kafka..";
    private static final String[] ABOVE_CORE = {"io.audiosockets.dsp..", "io.audiosockets.ml..", "io.audiosockets.builtin..",
        "io.audiosockets.http..", HTTP_INTERNALS, "io.audiosockets.kafka..", KAFKA_INTERNALS, "org.apache.kafka..",
        "io.audiosockets.cli..", "io.audiosockets.loadtest..", "io.audiosockets.fuzz..", "io.audiosockets.testkit.."};
    private static final String[] TOOLS_AND_CLI = {"io.audiosockets.cli..", "io.audiosockets.loadtest..", "io.audiosockets.fuzz..",
        "picocli.."};

    @ArchTest
    static final ArchRule coreKnowsNothingAboveIt = noClasses().that().resideInAnyPackage(CORE)
            .and().resideOutsideOfPackage(HTTP_INTERNALS)
            .and().resideOutsideOfPackage(KAFKA_INTERNALS)
            .should().dependOnClassesThat().resideInAnyPackage(ABOVE_CORE)
            .because("audiosockets-core is what a processor depends on: it must not pull in DSP, models, the HTTP side, Kafka, "
                    + "the CLI, the tools or the testkit");

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
    static final ArchRule theHttpSideNeedsNoCommandLine = noClasses().that().resideInAnyPackage(HTTP)
            .should().dependOnClassesThat().resideInAnyPackage(concat(TOOLS_AND_CLI, "io.audiosockets.builtin..",
                    "io.audiosockets.ml.."))
            .because("the mailman's HTTP side runs inside a user's own mailman too (Mailman with an HTTP port), without the "
                    + "command line, the tools, the built-in processors or ONNX Runtime");

    @ArchTest
    static final ArchRule theToolsDoNotNeedTheCommandLine = noClasses().that().resideInAnyPackage("io.audiosockets.loadtest..",
                    "io.audiosockets.fuzz..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.cli..", "picocli..")
            .because("the load tool and the fuzzer are libraries the CLI drives, not parts of it");

    @ArchTest
    static final ArchRule nothingShippedDependsOnTheTestkit = noClasses().that().resideOutsideOfPackage("io.audiosockets.testkit..")
            .should().dependOnClassesThat().resideInAPackage("io.audiosockets.testkit..")
            .because("the testkit is for tests: the jar a user runs must not need it");

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
