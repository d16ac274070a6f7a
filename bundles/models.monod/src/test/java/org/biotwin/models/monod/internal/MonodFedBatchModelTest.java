package org.biotwin.models.monod.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.biotwin.api.model.KineticModel;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class MonodFedBatchModelTest {

    private final MonodFedBatchModel model = new MonodFedBatchModel();
    private final double[] p = model.nominalParameters();

    @Test
    void analyticJacobianMatchesCentralFiniteDifferences() {
        double[][] states = { {0.1, 10, 1.0}, {5, 0.05, 1.3}, {20, 2.0, 2.5}, {1, 100, 0.7} };
        double[] feeds = {0, 0.05, 0.3};
        for (double[] y : states) {
            for (double f : feeds) {
                double[] u = {f};
                double[][] analytic = new double[3][3];
                model.jacobian(0, y, p, u, analytic);
                for (int j = 0; j < 3; j++) {
                    double h = 1e-6 * Math.max(1, Math.abs(y[j]));
                    double[] plus = y.clone(), minus = y.clone();
                    plus[j] += h;
                    minus[j] -= h;
                    double[] fPlus = new double[3], fMinus = new double[3];
                    model.derivatives(0, plus, p, u, fPlus);
                    model.derivatives(0, minus, p, u, fMinus);
                    for (int i = 0; i < 3; i++) {
                        double fd = (fPlus[i] - fMinus[i]) / (2 * h);
                        assertThat(analytic[i][j]).as("df%d/dy%d at y=%s, F=%s", i, j, java.util.Arrays.toString(y), f)
                                .isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
                    }
                }
            }
        }
    }

    /**
     * Batch phase against the closed-form integrated Monod equation (Dunn et al. 2003; Bailey and Ollis 1986):
     * with C = X0 + Y S0, t(S) = [ (K Y + C)/C ln(X/X0) - (K Y / C) ln(S/S0) ] / mu_max and X = C - Y S.
     */
    @Test
    void batchPhaseMatchesIntegratedMonodEquation() {
        double x0 = 0.1, s0 = 10, t = 6.0;
        double[] y = Rk4.integrate(model, new double[] {x0, s0, 1.0}, p, new double[] {0}, t, 1e-3);
        double mu = p[MonodFedBatchModel.MU_MAX], ks = p[MonodFedBatchModel.K_S], yxs = p[MonodFedBatchModel.Y_XS];
        double c = x0 + yxs * s0;
        double x = y[MonodFedBatchModel.X], s = y[MonodFedBatchModel.S];
        assertThat(s).as("substrate not yet exhausted at the comparison time").isGreaterThan(0.5);
        assertThat(x).isCloseTo(c - yxs * s, within(1e-9));
        double tAnalytic = ((ks * yxs + c) / c * Math.log(x / x0) - ks * yxs / c * Math.log(s / s0)) / mu;
        assertThat(tAnalytic).isCloseTo(t, within(1e-6));
    }

    @Test
    void fedBatchObeysTheYieldRelationOnAmounts() {
        double x0 = 0.5, s0 = 5, v0 = 1.0, feed = 0.05, t = 12.0;
        double[] y = Rk4.integrate(model, new double[] {x0, s0, v0}, p, new double[] {feed}, t, 1e-3);
        double x = y[0], s = y[1], v = y[2];
        assertThat(v).isCloseTo(v0 + feed * t, within(1e-9));
        double biomassFormed = x * v - x0 * v0;
        double substrateConsumed = s0 * v0 + p[MonodFedBatchModel.S_F] * feed * t - s * v;
        assertThat(biomassFormed).isGreaterThan(1.0);
        assertThat(biomassFormed).isCloseTo(p[MonodFedBatchModel.Y_XS] * substrateConsumed,
                within(1e-8 * biomassFormed));
    }

    @Test
    void observablesAreStatesAndGrowthRate() {
        double[] z = new double[4];
        model.observe(0, new double[] {2, 0.1, 1.5}, p, new double[] {0}, z);
        assertThat(z).containsExactly(2, 0.1, 1.5, 0.25);
    }

    @Test
    void badArraysAndVolumeAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> model.derivatives(0, new double[] {1, 1}, p, new double[] {0}, new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 3 states")
                .hasMessageContaining("monod.fedbatch:1.0.0");
        assertThatThrownBy(() -> model.derivatives(0, new double[] {1, 1, 0}, p, new double[] {0}, new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume V must be > 0 L");
    }

    @Test
    void declarationsAreConsistent() {
        assertThat(model.states()).extracting(s -> s.name()).containsExactly("X", "S", "V");
        assertThat(model.parameters()).extracting(q -> q.name()).containsExactly("mu_max", "K_S", "Y_XS", "S_F");
        assertThat(model.inputs()).extracting(i -> i.name()).containsExactly("F_feed");
        assertThat(model.stateIndex("V")).isEqualTo(MonodFedBatchModel.V);
        assertThat(model.descriptor().coordinates()).isEqualTo("monod.fedbatch:1.0.0");
        assertThat(model.descriptor().source()).contains("Biological Reaction Engineering");
    }

    /** The DS descriptor and manifest bnd generated (process-classes runs before the tests) carry the model identity. */
    @Test
    void generatedComponentAndManifestCarryTheModelIdentity() throws Exception {
        Path classes = Path.of("target", "classes");
        Map<String, String> props = new HashMap<>();
        try (DirectoryStream<Path> xmls = Files.newDirectoryStream(classes.resolve("OSGI-INF"), "*.xml")) {
            for (Path xml : xmls) {
                NodeList list = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                        .getElementsByTagName("property");
                for (int i = 0; i < list.getLength(); i++) {
                    Element e = (Element) list.item(i);
                    props.put(e.getAttribute("name"), e.getAttribute("value"));
                }
            }
        }
        assertThat(props).containsEntry(KineticModel.MODEL_ID, model.descriptor().id())
                .containsEntry(KineticModel.MODEL_VERSION, model.descriptor().version());
        try (InputStream in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            var attributes = new Manifest(in).getMainAttributes();
            assertThat(attributes.getValue("Bundle-Version")).isEqualTo(model.descriptor().version());
            assertThat(attributes.getValue("Import-Package")).as("the model SPI is the only import")
                    .matches("org\\.biotwin\\.api\\.model;version=\"\\[1\\.\\d+,2\\)\"");
            assertThat(attributes.getValue("Export-Package")).isNull();
        }
    }
}
