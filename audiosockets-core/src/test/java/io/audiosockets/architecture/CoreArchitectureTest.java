package io.audiosockets.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The package rules of audiosockets-core and where its public API ends (docs/ARCHITECTURE.md),
 * checked on its compiled classes so that a change that breaks one fails {@code mvn verify},
 * saying which rule and why.
 *
 * <p>Each role package {@code io.audiosockets.X} may have an internal half, {@code io.audiosockets.internal.X};
 * the direction rules hold for both halves.
 */
@AnalyzeClasses(packages = "io.audiosockets", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
    private static final String MAILMAN = "io.audiosockets.mailman..";
    private static final String[] CLIENTS = {"io.audiosockets.client..", "io.audiosockets.internal.client..",
        "io.audiosockets.processor..", "io.audiosockets.recorder.."};
    private static final String[] ROLES = {MAILMAN, "io.audiosockets.client..", "io.audiosockets.internal.client..",
        "io.audiosockets.processor..", "io.audiosockets.recorder.."};
    private static final String[] WIRE = {"io.audiosockets.protocol..", "io.audiosockets.internal.protocol.."};
    private static final String[] SHARED_BY_BOTH_SIDES = {"io.audiosockets.protocol..", "io.audiosockets.internal.protocol..",
        "io.audiosockets.internal.channel.."};

    /** {@code io.audiosockets.X} and {@code io.audiosockets.internal.X} are one layer: X. */
    private static final SliceAssignment LAYERS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (!p.startsWith("io.audiosockets.")) {
                return SliceIdentifier.ignore();
            }
            String rest = p.substring("io.audiosockets.".length());
            if (rest.startsWith("internal.")) {
                rest = rest.substring("internal.".length());
            }
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "layers io.audiosockets.X together with io.audiosockets.internal.X";
        }
    };

    @ArchTest
    static final ArchRule theWireKnowsNoRoles = noClasses().that().resideInAnyPackage(SHARED_BY_BOTH_SIDES)
            .should().dependOnClassesThat().resideInAnyPackage(ROLES)
            .because("the wire format and the channel handling are shared by the mailman and every client: they must not know "
                    + "either side");

    @ArchTest
    static final ArchRule clientsNeverReachIntoTheMailman = noClasses().that().resideInAnyPackage(CLIENTS)
            .should().dependOnClassesThat().resideInAPackage(MAILMAN)
            .because("clients talk to a mailman over the wire only (PROTOCOL.md), never through its classes");

    @ArchTest
    static final ArchRule theMailmanKnowsNoClient = noClasses().that().resideInAPackage(MAILMAN)
            .should().dependOnClassesThat().resideInAnyPackage(CLIENTS)
            .because("the mailman serves any client that speaks the protocol, in any language");

    @ArchTest
    static final ArchRule audioIsBelowTheNetwork = noClasses().that().resideInAnyPackage("io.audiosockets.audio..",
                    "io.audiosockets.internal.audio..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(ROLES, WIRE))
            .because("capture and sample formats work without a connection: the recorder uses them, not the reverse");

    @ArchTest
    static final ArchRule configIsBelowEverythingElse = noClasses().that().resideInAnyPackage("io.audiosockets.config..",
                    "io.audiosockets.internal.config..")
            .should().dependOnClassesThat().resideInAnyPackage(ROLES)
            .because("every role reads the same configuration; the configuration knows no role");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().assignedFrom(LAYERS).should().beFreeOfCycles()
            .because("packages form layers (docs/ARCHITECTURE.md): a cycle makes them one package in all but name");

    @ArchTest
    static final ArchRule thePublicApiSpeaksNeitherNettyNorInternals = classes().that().resideOutsideOfPackage(
                    "io.audiosockets.internal..")
            .should(exposeOnlyPublicTypes())
            .because("a user programs against the public API only (docs/ARCHITECTURE.md \"The public API\"): Netty and "
                    + "io.audiosockets.internal may change in any release, so no public or protected signature may name them");

    private static final Set<String> FORBIDDEN = Set.of("io.netty.", "io.audiosockets.internal.");

    /**
     * No type of Netty or of {@code io.audiosockets.internal} in what a user can see of a public
     * class: its superclass and interfaces with their type arguments, the bounds of its type parameters, and the
     * parameters, results, exceptions and fields of its public and protected members. A nested class counts
     * when it and every class around it are public or protected (a protected one is seen by every subclass).
     */
    static ArchCondition<JavaClass> exposeOnlyPublicTypes() {
        return new ArchCondition<>("expose no Netty or internal type in a public or protected signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                if (!visibleToUsers(c)) {
                    return;
                }
                List<String> leaks = new ArrayList<>();
                c.getSuperclass().ifPresent(s -> checkAll(s, "superclass", leaks));
                c.getInterfaces().forEach(i -> checkAll(i, "interface", leaks));
                c.getTypeParameters().forEach(p -> checkAll(p, "type parameter " + p.getName(), leaks));
                for (JavaCodeUnit m : c.getCodeUnits()) {
                    if (!exposed(m.getModifiers()) || m.getOwner() != c) {
                        continue;
                    }
                    String where = m.getFullName();
                    m.getParameterTypes().forEach(t -> checkAll(t, where + " parameter", leaks));
                    checkAll(m.getReturnType(), where + " result", leaks);
                    m.getThrowsClause().getTypes().forEach(t -> checkType(t, where + " throws", leaks));
                }
                for (JavaField f : c.getFields()) {
                    if (exposed(f.getModifiers())) {
                        checkAll(f.getType(), f.getFullName(), leaks);
                    }
                }
                for (String leak : leaks) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " exposes " + leak));
                }
            }
        };
    }

    private static boolean visibleToUsers(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (!exposed(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean exposed(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void checkAll(JavaType t, String where, List<String> leaks) {
        t.getAllInvolvedRawTypes().forEach(raw -> checkType(raw, where, leaks));
    }

    private static void checkType(JavaClass t, String where, List<String> leaks) {
        for (String prefix : FORBIDDEN) {
            if (t.getName().startsWith(prefix)) {
                leaks.add(t.getName() + " in " + where);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
