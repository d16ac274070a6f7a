package org.biotwin.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SPI contract checks every model bundle runs against its model: declarations, finite derivatives over a grid of the
 * validity range, analytic Jacobian against central finite differences, and consistency of the descriptor with the
 * generated DS descriptor and manifest. Kept as a copy in each model bundle because model bundles share no code.
 */
public abstract class KineticModelContract {

    /** The model under test. */
    protected abstract KineticModel model();

    /** Inputs to evaluate at, besides the defaults (for example a running feed). */
    protected abstract List<double[]> inputCases();

    @Test
    public void declarationsAreConsistent() {
        KineticModel m = model();
        assertThat(m.descriptor().version()).matches("\\d+\\.\\d+\\.\\d+");
        assertUnique("state", m.states().stream().map(StateVariable::name).toList());
        assertUnique("parameter", m.parameters().stream().map(p -> p.name()).toList());
        assertUnique("input", m.inputs().stream().map(ModelInput::name).toList());
        assertUnique("observable", m.observables().stream().map(o -> o.name()).toList());
        assertThat(m.states().stream().filter(s -> s.kind() == StateKind.VOLUME).count())
                .as("exactly one VOLUME state").isEqualTo(1);
        assertThat(m.nominalParameters()).hasSize(m.parameters().size());
        assertThat(m.nominalInitialState()).hasSize(m.states().size());
        // Declarative methods return the same lists on every call.
        assertThat(m.states()).isSameAs(m.states());
        assertThat(m.parameters()).isSameAs(m.parameters());
        for (ValidityRange r : m.descriptor().validity()) {
            boolean known = m.stateIndex(r.variable()) >= 0
                    || m.inputs().stream().anyMatch(i -> i.name().equals(r.variable()))
                    || m.observables().stream().anyMatch(o -> o.name().equals(r.variable()));
            assertThat(known).as("validity range names a known variable: " + r.variable()).isTrue();
        }
        for (StateVariable s : m.states()) {
            assertThat(s.unit()).as("unit of " + s.name()).isNotBlank();
            assertThat(s.nominalInitial()).as("initial " + s.name()).isGreaterThanOrEqualTo(s.lowerBound());
        }
        for (int i = 0; i < m.states().size(); i++) {
            assertThat(m.stateIndex(m.states().get(i).name())).isEqualTo(i);
        }
    }

    @Test
    public void derivativesAndObservablesAreFiniteOverTheValidityGrid() {
        KineticModel m = model();
        double[] p = m.nominalParameters();
        double[][] levels = stateLevels(m);
        int n = levels.length;
        double[] y = new double[n];
        double[] yDot = new double[n];
        double[] z = new double[m.observables().size()];
        int points = 1;
        for (int i = 0; i < n; i++) {
            points *= 3;
        }
        for (double[] u : inputCasesWithDefault()) {
            for (int k = 0; k < points; k++) {
                int code = k;
                for (int i = 0; i < n; i++) {
                    y[i] = levels[i][code % 3];
                    code /= 3;
                }
                m.derivatives(12.0, y, p, u, yDot);
                m.observe(12.0, y, p, u, z);
                for (int i = 0; i < n; i++) {
                    if (!Double.isFinite(yDot[i])) {
                        fail("d" + m.states().get(i).name() + "/dt not finite at y=" + java.util.Arrays.toString(y));
                    }
                }
                for (int j = 0; j < z.length; j++) {
                    if (!Double.isFinite(z[j])) {
                        fail(m.observables().get(j).name() + " not finite at y=" + java.util.Arrays.toString(y));
                    }
                }
            }
        }
    }

    @Test
    public void analyticJacobianMatchesCentralDifferences() {
        KineticModel m = model();
        assertThat(m.hasJacobian()).isTrue();
        double[] p = m.nominalParameters();
        double[][] levels = stateLevels(m);
        int n = levels.length;
        Random random = new Random(20240611L);
        double[] y = new double[n];
        double[] plus = new double[n];
        double[] minus = new double[n];
        double[][] jac = new double[n][n];
        for (double[] u : inputCasesWithDefault()) {
            for (int sample = 0; sample < 200; sample++) {
                for (int i = 0; i < n; i++) {
                    // Interior points: strictly inside the range so that the difference stencil stays valid.
                    double lo = levels[i][0], hi = levels[i][2];
                    y[i] = lo + (0.02 + 0.96 * random.nextDouble()) * (hi - lo);
                }
                // Pre-fill with garbage: the model must overwrite every entry.
                for (double[] row : jac) {
                    java.util.Arrays.fill(row, Double.NaN);
                }
                m.jacobian(3.0, y, p, u, jac);
                for (int j = 0; j < n; j++) {
                    double h = 1e-6 * Math.max(Math.abs(y[j]), 1e-3);
                    double[] yp = y.clone();
                    double[] ym = y.clone();
                    yp[j] += h;
                    ym[j] -= h;
                    m.derivatives(3.0, yp, p, u, plus);
                    m.derivatives(3.0, ym, p, u, minus);
                    for (int i = 0; i < n; i++) {
                        double fd = (plus[i] - minus[i]) / (2 * h);
                        double rowScale = 0;
                        for (int k = 0; k < n; k++) {
                            rowScale = Math.max(rowScale, Math.abs(jac[i][k]) * Math.max(Math.abs(y[k]), 1e-3));
                        }
                        double tol = 1e-6 * Math.abs(fd) + 1e-7 * rowScale / Math.max(Math.abs(y[j]), 1e-3) + 1e-14;
                        if (!(Math.abs(jac[i][j] - fd) <= tol)) {
                            fail("d f[" + m.states().get(i).name() + "] / d " + m.states().get(j).name() + ": analytic "
                                    + jac[i][j] + ", central difference " + fd + " at y=" + java.util.Arrays.toString(y)
                                    + " u=" + java.util.Arrays.toString(u));
                        }
                    }
                }
            }
        }
    }

    @Test
    public void serviceDescriptorAndManifestMatchTheModelDescriptor() throws IOException {
        KineticModel m = model();
        Path classes = Path.of("target", "classes");
        Path osgiInf = classes.resolve("OSGI-INF");
        List<Path> xmls;
        try (Stream<Path> s = Files.list(osgiInf)) {
            xmls = s.filter(f -> f.toString().endsWith(".xml")).toList();
        }
        assertThat(xmls).as("one DS component descriptor generated by bnd").hasSize(1);
        String xml = Files.readString(xmls.get(0));
        assertThat(property(xml, KineticModel.MODEL_ID)).isEqualTo(m.descriptor().id());
        assertThat(property(xml, KineticModel.MODEL_VERSION)).isEqualTo(m.descriptor().version());
        assertThat(xml).contains("interface=\"" + KineticModel.class.getName() + "\"");
        assertThat(xml).contains("implementation class=\"" + m.getClass().getName() + "\"");

        Manifest mf;
        try (InputStream in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String bundleVersion = mf.getMainAttributes().getValue("Bundle-Version");
        assertThat(bundleVersion).as("Bundle-Version equals the model version").isEqualTo(m.descriptor().version());
        String imports = mf.getMainAttributes().getValue("Import-Package");
        assertThat(imports).as("Import-Package").isNotNull();
        // Only the model SPI: an import of anything else would pull the model bundle into refresh cascades.
        String withoutVersions = imports.replaceAll("\"[^\"]*\"", "");
        List<String> packages = new ArrayList<>();
        for (String clause : withoutVersions.split(",")) {
            packages.add(clause.split(";")[0].trim());
        }
        assertThat(packages).containsExactly("org.biotwin.api.model");
        assertThat(mf.getMainAttributes().getValue("Export-Package")).as("exports nothing").isNull();
    }

    private static String property(String xml, String name) {
        Matcher matcher = Pattern.compile("<property name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"")
                .matcher(xml);
        assertThat(matcher.find()).as("DS property " + name + " in " + xml).isTrue();
        return matcher.group(1);
    }

    private List<double[]> inputCasesWithDefault() {
        List<double[]> cases = new ArrayList<>();
        cases.add(model().inputs().stream().mapToDouble(ModelInput::defaultValue).toArray());
        cases.addAll(inputCases());
        return cases;
    }

    /** Low, middle and high value of each state: its validity range, or 0.5 to 2 times its nominal initial value. */
    static double[][] stateLevels(KineticModel m) {
        double[][] levels = new double[m.states().size()][];
        for (int i = 0; i < levels.length; i++) {
            StateVariable s = m.states().get(i);
            ValidityRange range = m.descriptor().validity().stream().filter(r -> r.variable().equals(s.name()))
                    .findFirst().orElse(null);
            double lo, hi;
            if (range != null) {
                lo = range.min();
                hi = range.max();
            } else {
                double nominal = s.nominalInitial() > 0 ? s.nominalInitial() : 1.0;
                lo = s.kind() == StateKind.VOLUME ? 0.5 * nominal : 0.0;
                hi = 2 * nominal;
            }
            levels[i] = new double[] {lo, 0.5 * (lo + hi), hi};
        }
        return levels;
    }

    private static void assertUnique(String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            assertThat(seen.add(name)).as(what + " name unique: " + name).isTrue();
        }
    }
}
