package org.biotwin.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * Content digest of a bundle: SHA-256 over its entries, sorted by path, each as path, NUL, bytes. Independent of the
 * install location and of jar metadata such as entry order and time stamps, so the same content always gives the
 * same digest. Stateless.
 */
final class BundleDigest {

    private BundleDigest() {
    }

    static String of(Bundle bundle) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Enumeration<URL> e = bundle.findEntries("/", "*", true);
            List<URL> entries = new ArrayList<>();
            while (e != null && e.hasMoreElements()) {
                URL u = e.nextElement();
                if (!u.getPath().endsWith("/")) {
                    entries.add(u);
                }
            }
            entries.sort((a, b) -> a.getPath().compareTo(b.getPath()));
            byte[] buf = new byte[8192];
            for (URL u : entries) {
                sha.update(u.getPath().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                try (InputStream in = u.openStream()) {
                    for (int r; (r = in.read(buf)) > 0;) {
                        sha.update(buf, 0, r);
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException | IllegalStateException ex) {
            return "unknown";
        }
    }
}
