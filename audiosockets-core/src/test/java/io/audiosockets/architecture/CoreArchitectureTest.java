package io.audiosockets.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of audiosockets-core (docs/ARCHITECTURE.md), checked on its compiled classes
 * so that a change that breaks one fails {@code mvn verify}, saying which rule and why.
 */
@AnalyzeClasses(packages = "io.audiosockets", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
    @ArchTest
    static final ArchRule theWireKnowsNoRoles = noClasses().that().resideInAPackage("io.audiosockets.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.mailman..", "io.audiosockets.client..",
                    "io.audiosockets.processor..", "io.audiosockets.recorder..")
            .because("the wire format is shared by the mailman and every client: it must not know either side");

    @ArchTest
    static final ArchRule clientsNeverReachIntoTheMailman = noClasses().that().resideInAnyPackage("io.audiosockets.client..",
                    "io.audiosockets.processor..", "io.audiosockets.recorder..")
            .should().dependOnClassesThat().resideInAPackage("io.audiosockets.mailman..")
            .because("clients talk to a mailman over the wire only (PROTOCOL.md), never through its classes");

    @ArchTest
    static final ArchRule theMailmanKnowsNoClient = noClasses().that().resideInAPackage("io.audiosockets.mailman..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.client..", "io.audiosockets.processor..",
                    "io.audiosockets.recorder..")
            .because("the mailman serves any client that speaks the protocol, in any language");

    @ArchTest
    static final ArchRule audioIsBelowTheNetwork = noClasses().that().resideInAPackage("io.audiosockets.audio..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.mailman..", "io.audiosockets.client..",
                    "io.audiosockets.processor..", "io.audiosockets.recorder..", "io.audiosockets.protocol..")
            .because("capture and sample formats work without a connection: the recorder uses them, not the reverse");

    @ArchTest
    static final ArchRule configIsBelowEverythingElse = noClasses().that().resideInAPackage("io.audiosockets.config..")
            .should().dependOnClassesThat().resideInAnyPackage("io.audiosockets.mailman..", "io.audiosockets.client..",
                    "io.audiosockets.processor..", "io.audiosockets.recorder..")
            .because("every role reads the same configuration; the configuration knows no role");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.audiosockets.(*)..").should().beFreeOfCycles()
            .because("packages form layers (docs/ARCHITECTURE.md): a cycle makes them one package in all but name");
}
