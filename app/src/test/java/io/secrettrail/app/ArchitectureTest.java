package io.secrettrail.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The dependency rules of the code base, checked on the production classes of every module (this module's
 * test classpath sees them all):
 * <ul>
 * <li>analytics is layered {@code store <- snapshot <- {rules, cost, access} <- report <- live <- {alerts,
 *     dashboard, export}}: a package uses only the packages below it, never one above or beside it;
 * <li>no cycle between packages anywhere under {@code io.secrettrail};
 * <li>{@code web} reads analytics through its services, never the store;
 * <li>nothing depends on {@code app}, the wiring at the top;
 * <li>{@code core} depends on no other SecretTrail module;
 * <li>analytics publishes no String constants (they are invisible to the rules above).
 * </ul>
 * A new arrow that points up is a design question, not a line to add to an ignore list.
 */
@AnalyzeClasses(
        packages = "io.secrettrail",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {
    private static final String ANALYTICS = "io.secrettrail.analytics";

    /** Test classes packaged as {@code *-tests.jar} (another module's test-jar) are not production code. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    @ArchTest
    static final ArchRule analytics_is_layered = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("store")
            .definedBy(ANALYTICS + ".store..")
            .layer("snapshot")
            .definedBy(ANALYTICS + ".snapshot..")
            .layer("rules")
            .definedBy(ANALYTICS + ".rules..")
            .layer("cost")
            .definedBy(ANALYTICS + ".cost..")
            .layer("access")
            .definedBy(ANALYTICS + ".access..")
            .layer("report")
            .definedBy(ANALYTICS + ".report..")
            .layer("live")
            .definedBy(ANALYTICS + ".live..")
            .layer("alerts")
            .definedBy(ANALYTICS + ".alerts..")
            .layer("dashboard")
            .definedBy(ANALYTICS + ".dashboard..")
            .layer("export")
            .definedBy(ANALYTICS + ".export..")
            .whereLayer("export")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("dashboard")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("alerts")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("live")
            .mayOnlyBeAccessedByLayers("alerts", "dashboard", "export")
            .whereLayer("report")
            .mayOnlyBeAccessedByLayers("live", "alerts", "dashboard", "export")
            .whereLayer("rules")
            .mayOnlyBeAccessedByLayers("report", "live", "alerts", "dashboard", "export")
            .whereLayer("cost")
            .mayOnlyBeAccessedByLayers("report", "live", "alerts", "dashboard", "export")
            .whereLayer("access")
            .mayOnlyBeAccessedByLayers("report", "live", "alerts", "dashboard", "export")
            .whereLayer("snapshot")
            .mayOnlyBeAccessedByLayers("rules", "cost", "access", "report", "live", "alerts", "dashboard", "export")
            .whereLayer("store")
            .mayOnlyBeAccessedByLayers(
                    "snapshot", "rules", "cost", "access", "report", "live", "alerts", "dashboard", "export");

    /**
     * A slice per package below {@code io.secrettrail}, two levels deep ({@code analytics.store}, {@code core.event});
     * a module's root package ({@code analytics}, {@code web}) is a slice of its own.
     */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.startsWith("io.secrettrail.")) {
                return SliceIdentifier.ignore();
            }
            String[] parts = pkg.substring("io.secrettrail.".length()).split("\\.");
            return SliceIdentifier.of(parts.length == 1 ? parts[0] : parts[0] + "." + parts[1]);
        }

        @Override
        public String getDescription() {
            return "packages of io.secrettrail, two levels deep";
        }
    };

    @ArchTest
    static final ArchRule no_package_cycles =
            slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule web_never_reads_the_store = noClasses()
            .that()
            .resideInAPackage("io.secrettrail.web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ANALYTICS + ".store..");

    /**
     * javac copies a {@code static final String} into every class that reads it, so the rules above never see
     * that dependency: SQL shared that way once tied five packages into a cycle. Share SQL as a view, a
     * resource file or a method instead.
     */
    @ArchTest
    static final ArchRule analytics_publishes_no_string_constants = noFields()
            .that()
            .areDeclaredInClassesThat()
            .resideInAPackage(ANALYTICS + "..")
            .and()
            .areStatic()
            .and()
            .areFinal()
            .and()
            .haveRawType(String.class)
            .should()
            .bePublic();

    @ArchTest
    static final ArchRule nothing_depends_on_app = noClasses()
            .that()
            .resideOutsideOfPackage("io.secrettrail.app..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.secrettrail.app..");

    @ArchTest
    static final ArchRule core_depends_on_no_other_module = noClasses()
            .that()
            .resideInAPackage("io.secrettrail.core..")
            .should()
            .dependOnClassesThat(
                    resideInAPackage("io.secrettrail..").and(not(resideInAPackage("io.secrettrail.core.."))));
}
