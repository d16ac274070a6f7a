package org.biotwin.api.model;

import java.util.regex.Pattern;

/** Identifier rules shared by the SPI's value types. */
final class Names {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

    private Names() {
    }

    static void requireIdentifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' is not an identifier (a letter, then letters, digits, '_', '.', '-')");
        }
    }
}
