package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * Why one ensemble member failed. Immutable.
 *
 * @param member index of the member, 0-based; rerunning with the same seed reproduces it
 * @param reason the error message
 */
public record MemberFailure(int member, String reason) {
    public MemberFailure {
        Objects.requireNonNull(reason, "reason");
    }
}
