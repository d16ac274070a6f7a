package org.biotwin.tools.modelcli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of {@code biotwin-model}: {@code simulate}, {@code fit}, {@code optimize}, {@code validate}. Exit codes:
 * 0 success, 1 negative outcome (validation failed, optimisation infeasible), 2 usage error, 3 bad input data,
 * 4 model jar cannot be loaded, 5 computation failed, 6 output cannot be written.
 */
public final class Main {

    static final String USAGE = """
            Usage: biotwin-model <command> [options]
              simulate  --model JAR [--schedule FILE] [--end H] [--step H] [--out trajectory.csv]
              fit       --model JAR --data FILE... --free NAME[=START[:LO:HI]]... [--fixed NAME=VALUE]...
                        [--absolute-sd] [--out result.json] [--csv estimates.csv]
              optimize  --model JAR --feed INPUT --rate-max R [--rate-min R] [--initial-rate R] --end H
                        [--feed-start H] [--intervals N] --objective VAR[*VAR] [--minimise]
                        [--path-max VAR=V]... [--path-min VAR=V]... [--end-max VAR=V]... [--end-min VAR=V]...
                        [--schedule FILE] [--out profile.csv] [--report result.json]
              validate  --model JAR --data FILE... [--nrmse-max X] [--r2-min X] [--limits limits.csv]
                        [--out report.json] [--text report.txt]
            Common: [--model-id ID] [--classpath JAR]... [--param NAME=VALUE]... [--params fit.json]
                    [--rtol 1e-8] [--solver auto|non-stiff|stiff] [--max-steps N]
            Exit codes: 0 ok, 1 negative outcome (validation failed, infeasible), 2 usage, 3 bad input data,
                        4 bad model jar, 5 computation failed, 6 cannot write output.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? CliException.USAGE : CliException.OK;
        }
        try {
            Commands c = new Commands(out, err);
            return switch (args[0]) {
                case "simulate" -> c.simulate(args);
                case "fit" -> c.fit(args);
                case "optimize", "optimise" -> c.optimize(args);
                case "validate" -> c.validate(args);
                default -> throw new CliException(CliException.USAGE, "Unknown command '" + args[0]
                        + "' (simulate, fit, optimize, validate)");
            };
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            if (e.exitCode == CliException.USAGE) {
                err.print(USAGE);
            }
            return e.exitCode;
        }
    }

    static PrintStream utf8(PrintStream p) {
        return new PrintStream(p, true, StandardCharsets.UTF_8);
    }
}
