package org.biotwin.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverStatistics;
import org.biotwin.kinetics.internal.sim.SimulationEngine;

/**
 * Right-hand-side evaluations of the kinetic core's integrators against SciPy's {@code solve_ivp} on the same cases,
 * tolerances and per-state absolute tolerances ({@code scipy-nfev.csv}, written by the scripts in
 * {@code bundles/kinetics/reference/}). Prints a Markdown table.
 * {@code java -cp benchmarks/target/benchmarks.jar org.biotwin.benchmarks.RhsCountReport}
 */
public final class RhsCountReport {

    private RhsCountReport() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> scipy = loadScipy();
        SimulationEngine engine = new SimulationEngine();
        System.out.println("| case | rtol | BioTwin DOP853 | BioTwin RODAS4 | BioTwin AUTO (stiff segs) | SciPy DOP853 |"
                + " SciPy RK45 | SciPy Radau | SciPy BDF | SciPy LSODA |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String name : Cases.NAMES) {
            for (double rtol : new double[] {1e-6, 1e-8, 1e-9}) {
                String explicit = name.equals("robertson") ? "(budget)" : count(engine, name, SolverChoice.NON_STIFF, rtol);
                String implicit = count(engine, name, SolverChoice.STIFF, rtol);
                SolverStatistics auto = engine.simulate(Cases.request(name, SolverChoice.AUTO, rtol)).statistics();
                System.out.printf(Locale.ROOT, "| %s | %.0e | %s | %s | %d (%d/%d) | %s | %s | %s | %s | %s |%n", name,
                        rtol, explicit, implicit, auto.rhsEvaluations(), auto.stiffSegments(), auto.segments(),
                        sci(scipy, name, rtol, "DOP853"), sci(scipy, name, rtol, "RK45"),
                        sci(scipy, name, rtol, "Radau"), sci(scipy, name, rtol, "BDF"), sci(scipy, name, rtol, "LSODA"));
            }
        }
        System.out.println();
        System.out.println("BioTwin figures: RHS evaluations including finite-difference Jacobians and stiffness"
                + " estimates (Jacobian evaluations in brackets for RODAS4). SciPy figures: calls of the right-hand side"
                + " counted by a wrapper (including finite-difference Jacobians; with the analytic Jacobian for"
                + " Robertson), SciPy " + "version in scipy-nfev.csv; '-' = not computed.");
    }

    private static String count(SimulationEngine engine, String name, SolverChoice c, double rtol) {
        SolverStatistics s = engine.simulate(Cases.request(name, c, rtol)).statistics();
        return c == SolverChoice.STIFF ? s.rhsEvaluations() + " [" + s.jacobianEvaluations() + "]"
                : String.valueOf(s.rhsEvaluations());
    }

    private static String sci(List<String[]> rows, String name, double rtol, String method) {
        for (String[] r : rows) {
            boolean methodMatches = r[1].equals(method) || r[1].equals(method + "+jac");
            if (r[0].equals(name) && methodMatches && Math.abs(Double.parseDouble(r[2]) / rtol - 1) < 1e-9) {
                return r[4];
            }
        }
        return "-";
    }

    private static List<String[]> loadScipy() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = RhsCountReport.class.getResourceAsStream("/reference/scipy-nfev.csv")) {
            if (in == null) {
                throw new IllegalStateException("scipy-nfev.csv not on the class path (kinetics test-jar)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (!line.startsWith("#") && !line.startsWith("case,") && !line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
        }
        return rows;
    }
}
