package org.biotwin.lifecycle.internal;

import java.util.Comparator;

/** Same order as the engine's: orders {@code major.minor.patch} versions numerically (a pre-release suffix sorts before its release). */
final class SemVer {

    static final Comparator<String> ORDER = SemVer::compare;

    private SemVer() {
    }

    static int compare(String a, String b) {
        String[] pa = a.split("[-+]", 2);
        String[] pb = b.split("[-+]", 2);
        String[] na = pa[0].split("\\.");
        String[] nb = pb[0].split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(na[i]), Long.parseLong(nb[i]));
            if (c != 0) {
                return c;
            }
        }
        if (pa.length != pb.length) {
            return pa.length == 1 ? 1 : -1;
        }
        return pa.length == 1 ? 0 : pa[1].compareTo(pb[1]);
    }
}
