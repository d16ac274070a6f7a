package org.biotwin.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.kinetics.internal.sim.SimulationEngine;

/**
 * Thread CPU time per simulation after warm-up, a companion to the JMH figures on a shared machine: wall-clock scores
 * inflate with the load of other processes, CPU time of the benchmark thread much less (caches and SMT still
 * interfere), and the fastest single run approximates an unloaded machine.
 * {@code java -cp benchmarks/target/benchmarks.jar org.biotwin.benchmarks.CpuTimeReport [rtol]}
 */
public final class CpuTimeReport {

    private CpuTimeReport() {
    }

    public static void main(String[] args) {
        double rtol = args.length > 0 ? Double.parseDouble(args[0]) : 1e-8;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SimulationEngine engine = new SimulationEngine();
        System.out.printf(Locale.ROOT, "rtol %.0e, single thread, after 2 s warm-up per case%n", rtol);
        System.out.println("| case | solver | CPU us/simulation | wall us/simulation (mean) | wall us (fastest run) |"
                + " RHS evaluations |");
        System.out.println("|---|---|---|---|---|---|");
        for (String name : new String[] {"cho-mab-1.0.0", "cho-like", "park-ramirez"}) {
            for (SolverChoice c : SolverChoice.values()) {
                SimulationRequest req = Cases.request(name, c, rtol);
                long sink = 0;
                long until = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < until) {
                    sink += engine.simulate(req).statistics().rhsEvaluations();
                }
                int n = 0;
                long fastest = Long.MAX_VALUE;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long now = wall0;
                while (now - wall0 < 3_000_000_000L) {
                    sink += engine.simulate(req).statistics().rhsEvaluations();
                    long after = System.nanoTime();
                    fastest = Math.min(fastest, after - now);
                    now = after;
                    n++;
                }
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
                double wall = (System.nanoTime() - wall0) / 1e3 / n;
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %d |%n", name, c, cpu, wall,
                        fastest / 1e3,
                        engine.simulate(req).statistics().rhsEvaluations() + (sink == 42 ? 1 : 0));
            }
        }
    }
}
