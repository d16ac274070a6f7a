package org.biotwin.api.batch;

/**
 * A lot of a raw material, medium or feed charged to a batch (for genealogy). Immutable.
 *
 * @param material material code, for example {@code FEED-A} or {@code CD-CHO-MEDIUM}
 * @param lot      supplier or internal lot number
 */
public record MaterialLot(String material, String lot) {

    public MaterialLot {
        if (material == null || material.isBlank()) {
            throw new IllegalArgumentException("Material lot: material must not be blank");
        }
        if (lot == null || lot.isBlank()) {
            throw new IllegalArgumentException("Material lot of " + material + ": lot must not be blank");
        }
    }
}
