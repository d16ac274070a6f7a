package org.biotwin.kinetics.internal.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A reference trajectory CSV from {@code src/test/resources/reference} (first column t, then states). */
record ReferenceData(List<String> columns, double[] times, double[][] states) {

    static ReferenceData load(String name) {
        try (InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No reference " + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = null;
            List<double[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (header == null) {
                    header = Arrays.asList(f);
                    continue;
                }
                rows.add(Arrays.stream(f).mapToDouble(Double::parseDouble).toArray());
            }
            double[] t = rows.stream().mapToDouble(x -> x[0]).toArray();
            double[][] s = rows.stream().map(x -> Arrays.copyOfRange(x, 1, x.length)).toArray(double[][]::new);
            return new ReferenceData(header.subList(1, header.size()), t, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
