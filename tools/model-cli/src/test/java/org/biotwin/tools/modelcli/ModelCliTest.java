package org.biotwin.tools.modelcli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process on the real CHO model bundle jar and the example batch files. */
class ModelCliTest {

    private static Path cho;
    private static final Path A = Path.of("examples/cho-batch-A.csv");
    private static final Path B = Path.of("examples/cho-batch-B.csv");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void modelJar() {
        cho = Path.of(System.getProperty("biotwin.test.choJar", "missing.jar"));
        if (!Files.isRegularFile(cho)) {
            cho = Path.of(System.getProperty("biotwin.test.choJarInstalled", "missing.jar"));
        }
        assertThat(cho).as("CHO model bundle jar (install bundles/models.cho first)").isRegularFile();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void simulatesTheReferenceBatch() throws IOException {
        Path csv = tmp.resolve("traj.csv");
        int code = run("simulate", "--model", cho.toString(), "--schedule", "examples/cho-schedule.csv", "--end", "336",
                "--step", "24", "--out", csv.toString());
        assertThat(code).as(err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + 15);
        assertThat(lines.get(0)).startsWith("time_h,Xv[10*9{cells}/L],").contains("titre[g/L]");
        assertThat(lines.get(15)).startsWith("336,");
        // 11 boluses of 30 L and 13 samples of 0.5 L: 1000 + 330 - 6.5 = 1323.5 L at harvest.
        String[] last = lines.get(15).split(",");
        assertThat(Double.parseDouble(last[8])).isCloseTo(1323.5, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void fitsAndValidatesWithDigestsInTheReport() throws Exception {
        Path fit = tmp.resolve("fit.json");
        Path est = tmp.resolve("est.csv");
        int code = run("fit", "--model", cho.toString(), "--data", A.toString(), "--data", B.toString(), "--free",
                "mu_max", "--free", "q_mAb=1.0:0.1:10", "--free", "k_d", "--out", fit.toString(), "--csv",
                est.toString(), "--quiet");
        assertThat(code).as(err()).isZero();
        JsonNode f = new ObjectMapper().readTree(fit.toFile());
        assertThat(f.path("converged").asBoolean()).isTrue();
        // The example data were made at mu_max 0.031 /h, q_mAb 1.3 pg/cell/h, k_d 0.014 /h (make-synthetic-batch.sh).
        for (JsonNode e : f.path("estimates")) {
            double truth = switch (e.path("name").asText()) {
                case "mu_max" -> 0.031;
                case "q_mAb" -> 1.3;
                default -> 0.014;
            };
            assertThat(truth).as(e.toString()).isBetween(e.path("ci95Lower").asDouble(), e.path("ci95Upper").asDouble());
        }
        assertThat(Files.readAllLines(est).get(0)).isEqualTo("parameter,unit,estimate,std_error,ci95_lower,ci95_upper");
        assertThat(f.path("model").path("jarSha256").asText()).isEqualTo(ModelLoader.sha256(cho));

        Path report = tmp.resolve("report.json");
        Path text = tmp.resolve("report.txt");
        code = run("validate", "--model", cho.toString(), "--data", A.toString(), "--data", B.toString(), "--params",
                fit.toString(), "--out", report.toString(), "--text", text.toString());
        assertThat(code).as(out() + err()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("verdict").asText()).isEqualTo("PASS");
        assertThat(r.path("model").path("id").asText()).isEqualTo("cho.mab.fedbatch");
        assertThat(r.path("model").path("version").asText()).isEqualTo("1.0.0");
        assertThat(r.path("model").path("jarSha256").asText()).isEqualTo(ModelLoader.sha256(cho)).hasSize(64);
        assertThat(r.path("data").get(0).path("sha256").asText()).isEqualTo(ModelLoader.sha256(A));
        assertThat(r.path("variables")).hasSize(4);
        for (JsonNode v : r.path("variables")) {
            assertThat(v.path("n").asInt()).isEqualTo(56);
            assertThat(v.path("r2").asDouble()).isGreaterThan(0.9);
            assertThat(v.has("rmse") && v.has("nrmse") && v.has("bias") && v.has("maxAbsError")).isTrue();
        }
        assertThat(Files.readString(text)).contains("verdict: PASS").contains(ModelLoader.sha256(cho));

        // With nominal parameters glucose misses the default limits: exit 1 and a FAIL naming the metric.
        code = run("validate", "--model", cho.toString(), "--data", A.toString(), "--data", B.toString());
        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("verdict: FAIL").containsPattern("glucose .*FAIL \\[nrmse");
    }

    @Test
    void validationLimitsPerVariable() throws IOException {
        Path limits = tmp.resolve("limits.csv");
        Files.writeString(limits, "variable,nrmse_max,r2_min,max_abs_error\nglucose,0.5,,\n");
        int code = run("validate", "--model", cho.toString(), "--data", A.toString(), "--limits", limits.toString());
        assertThat(code).as(out()).isZero();
        Files.writeString(limits, "variable,nrmse,r2\n");
        assertThat(run("validate", "--model", cho.toString(), "--data", A.toString(), "--limits", limits.toString()))
                .isEqualTo(3);
        assertThat(err()).contains("header must be variable,nrmse_max,r2_min,max_abs_error");
    }

    @Test
    void optimisesAFeedProfile() throws IOException {
        Path profile = tmp.resolve("profile.csv");
        Path report = tmp.resolve("opt.json");
        int code = run("optimize", "--model", cho.toString(), "--schedule", "examples/cho-start.csv", "--feed",
                "F_feed", "--feed-start", "72", "--intervals", "3", "--rate-max", "3", "--initial-rate", "1.25", "--end",
                "336", "--objective", "titre*volume", "--path-max", "volume=1400", "--path-min", "glucose=0.5", "--out",
                profile.toString(), "--report", report.toString());
        assertThat(code).as(err()).isZero();
        List<String> lines = Files.readAllLines(profile);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("time_h,F_feed[L/h]");
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("feasible").asBoolean()).isTrue();
        assertThat(r.path("objectiveValue").asDouble()).isGreaterThanOrEqualTo(r.path("initialObjectiveValue")
                .asDouble());
    }

    @Test
    void infeasibleOptimisationExitsOneAndWritesNoProfile() {
        Path profile = tmp.resolve("profile.csv");
        int code = run("optimize", "--model", cho.toString(), "--schedule", "examples/cho-start.csv", "--feed",
                "F_feed", "--feed-start", "72", "--intervals", "2", "--rate-max", "3", "--end", "336", "--objective",
                "titre*volume", "--path-min", "glucose=20", "--max-evaluations", "200", "--out", profile.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("infeasible").contains("path: 20.0 <= glucose");
        assertThat(profile).doesNotExist();
    }

    @Test
    void badInputGetsAClearMessageAndExitCode() throws IOException {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("Unknown command 'frobnicate'");
        assertThat(run("simulate", "--model", cho.toString(), "--end", "10", "--colour", "red")).isEqualTo(2);
        assertThat(err()).contains("unknown option --colour");
        assertThat(run("simulate", "--model", cho.toString(), "--end", "ten")).isEqualTo(2);
        assertThat(err()).contains("--end must be a finite number, was 'ten'");
        assertThat(run("simulate", "--model", tmp.resolve("nope.jar").toString(), "--end", "10")).isEqualTo(4);
        assertThat(err()).contains("does not exist");

        Path empty = tmp.resolve("empty.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(empty))) {
            j.putNextEntry(new ZipEntry("readme.txt"));
            j.write("not a model".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(run("simulate", "--model", empty.toString(), "--end", "10")).isEqualTo(4);
        assertThat(err()).contains("declares no DS component providing org.biotwin.api.model.KineticModel");
        assertThat(run("simulate", "--model", cho.toString(), "--model-id", "penicillin", "--end", "10")).isEqualTo(4);
        assertThat(err()).contains("has no model with id 'penicillin' (models: [cho.mab.fedbatch])");

        Path data = tmp.resolve("bad.csv");
        Files.writeString(data, "batch,kind,time_h,variable,value,sd,unit\nX1,meas,24,lactate,1.0,0.1,mmol/L\n"
                + "X1,meas,48,lactate,2.0,0.1,mmol/L\n");
        assertThat(run("fit", "--model", cho.toString(), "--data", data.toString(), "--free", "mu_max")).isEqualTo(3);
        assertThat(err()).contains("measurements of lactate are in 'mmol/L' but the model declares 'g/L'");
        Files.writeString(data, "batch,kind,time_h,variable,value,sd,unit\nX1,meas,24,IgG,1.0,0.1,g/L\n"
                + "X1,meas,48,IgG,2.0,0.1,g/L\n");
        assertThat(run("fit", "--model", cho.toString(), "--data", data.toString(), "--free", "mu_max")).isEqualTo(3);
        assertThat(err()).contains("has no observable or state named 'IgG'");
        Files.writeString(data, "batch,kind,time_h,variable,value,sd,unit\nX1,meas,24,titre,abc,0.1,g/L\n");
        assertThat(run("fit", "--model", cho.toString(), "--data", data.toString(), "--free", "mu_max")).isEqualTo(3);
        assertThat(err()).contains("line 2: value 'abc' is not a finite number");
        Files.writeString(data, "batch,kind,time_h,variable,value,sd,unit\nX1,init,0,Xq,1,,\nX1,meas,24,titre,1,0.1,g/L\n");
        assertThat(run("fit", "--model", cho.toString(), "--data", data.toString(), "--free", "mu_max")).isEqualTo(3);
        assertThat(err()).contains("initial value for 'Xq', which is not a state");
        Files.writeString(data, "batch,kind,time_h,variable,value,sd,unit\nX1,meas,24,titre,1,0,g/L\n");
        assertThat(run("fit", "--model", cho.toString(), "--data", data.toString(), "--free", "mu_max")).isEqualTo(3);
        assertThat(err()).contains("standard deviation at sample 0");
        assertThat(run("fit", "--model", cho.toString(), "--data", A.toString(), "--free", "mu_max=0.5:0.6:0.1"))
                .isEqualTo(3);
        assertThat(err()).contains("bounds of mu_max are infeasible");
        assertThat(run("simulate", "--model", cho.toString(), "--end", "10", "--param", "mu_max=7")).isEqualTo(3);
        assertThat(err()).contains("Parameter mu_max = 7.0 /h outside the model's range");
    }
}
