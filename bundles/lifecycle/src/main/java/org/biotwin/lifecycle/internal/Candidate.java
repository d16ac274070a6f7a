package org.biotwin.lifecycle.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An installed model bundle as the gate sees it: the model's identity, the bundle's content digests and its embedded
 * evidence files. Immutable (the byte arrays are not handed out).
 *
 * @param modelId         {@code biotwin.model.id} of the service
 * @param version         {@code biotwin.model.version} of the service
 * @param bundleId        the providing bundle
 * @param symbolicName    its symbolic name
 * @param digest          content digest of the whole bundle (what QA signs)
 * @param classesDigest   content digest without the evidence directory (what the validation covered)
 * @param descriptor      the evidence descriptor, {@code null} if absent
 * @param report          the validation report, {@code null} if absent
 * @param nominal         the model's nominal parameters by name, {@code null} if unknown
 * @param claimsApproval  the service carries the gate's own {@code biotwin.model.approved} property
 */
public record Candidate(String modelId, String version, long bundleId, String symbolicName, String digest,
        String classesDigest, byte @Nullable [] descriptor, byte @Nullable [] report,
        @Nullable Map<String, Double> nominal, boolean claimsApproval) {

    public String coordinates() {
        return modelId + ":" + version;
    }
}
