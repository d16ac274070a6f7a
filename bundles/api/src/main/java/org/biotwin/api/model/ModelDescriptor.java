package org.biotwin.api.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity and provenance of a model. Immutable.
 *
 * @param id          stable model id, for example {@code cho.mab.fedbatch}; versions of one model share it
 * @param version     semantic version {@code major.minor.patch}
 * @param name        human-readable name
 * @param organism    host organism, for example {@code CHO} or {@code Penicillium chrysogenum}
 * @param process     process type, for example {@code fed-batch mAb production}
 * @param source      literature source: authors, title, journal, year, DOI
 * @param validity    ranges within which the model was validated
 */
public record ModelDescriptor(String id, String version, String name, String organism, String process,
        String source, List<ValidityRange> validity) {

    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");

    public ModelDescriptor {
        Names.requireIdentifier(id, "model id");
        if (version == null || !SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("Model " + id + ": version '" + version + "' is not major.minor.patch");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(organism, "organism");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(source, "source");
        validity = List.copyOf(validity);
    }

    /** {@code id:version}, the form used in logs, lineage and the audit trail. */
    public String coordinates() {
        return id + ":" + version;
    }
}
