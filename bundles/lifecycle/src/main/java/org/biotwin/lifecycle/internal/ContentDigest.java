package org.biotwin.lifecycle.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.osgi.framework.Bundle;

/**
 * Content digest of a model bundle, the value QA signs: SHA-256 over the bundle's entries sorted by path, each as
 * path (with a leading {@code /}, as bundle entry URLs have it), NUL, bytes; directories are skipped. This is the
 * definition of the engine's {@code BundleDigest} (lineage of every estimate), computed here both from an installed
 * {@link Bundle} and from a jar file, so an approval given offline matches the bundle once deployed. Independent of
 * install location, entry order and time stamps. Stateless.
 */
public final class ContentDigest {

    /** Entries under this prefix are the validation evidence; {@link #ofClasses} leaves them out. */
    public static final String EVIDENCE_DIR = "/OSGI-INF/biotwin/";

    private ContentDigest() {
    }

    /** Digest of every entry of an installed bundle. */
    public static String of(Bundle bundle) {
        return of(bundle, p -> true);
    }

    /** Digest of the entries of an installed bundle outside {@link #EVIDENCE_DIR}: what the validation covered. */
    public static String ofClasses(Bundle bundle) {
        return of(bundle, p -> !p.startsWith(EVIDENCE_DIR));
    }

    private static String of(Bundle bundle, Predicate<String> include) {
        Enumeration<URL> e = bundle.findEntries("/", "*", true);
        List<URL> entries = new ArrayList<>();
        while (e != null && e.hasMoreElements()) {
            URL u = e.nextElement();
            if (!u.getPath().endsWith("/") && include.test(u.getPath())) {
                entries.add(u);
            }
        }
        entries.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        MessageDigest sha = sha256();
        try {
            for (URL u : entries) {
                try (InputStream in = u.openStream()) {
                    update(sha, u.getPath(), in);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read bundle " + bundle.getSymbolicName() + " "
                    + bundle.getVersion() + " to compute its digest: " + ex.getMessage(), ex);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Digest of every entry of a jar file. */
    public static String of(Path jar) throws IOException {
        return of(jar, p -> true);
    }

    /** Digest of the entries of a jar file outside {@link #EVIDENCE_DIR}. */
    public static String ofClasses(Path jar) throws IOException {
        return of(jar, p -> !p.startsWith(EVIDENCE_DIR));
    }

    private static String of(Path jar, Predicate<String> include) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            List<JarEntry> entries = new ArrayList<>();
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                if (!je.isDirectory() && include.test("/" + je.getName())) {
                    entries.add(je);
                }
            }
            entries.sort((a, b) -> ("/" + a.getName()).compareTo("/" + b.getName()));
            MessageDigest sha = sha256();
            for (JarEntry je : entries) {
                try (InputStream in = jf.getInputStream(je)) {
                    update(sha, "/" + je.getName(), in);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Hex SHA-256 of some bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static void update(MessageDigest sha, String path, InputStream in) throws IOException {
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] buf = new byte[8192];
        for (int r; (r = in.read(buf)) > 0;) {
            sha.update(buf, 0, r);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
