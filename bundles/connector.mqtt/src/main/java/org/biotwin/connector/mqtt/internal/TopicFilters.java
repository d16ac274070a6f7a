package org.biotwin.connector.mqtt.internal;

/** MQTT topic filter matching ({@code +} one level, {@code #} the rest), per MQTT 5.0 section 4.7. Stateless. */
final class TopicFilters {

    private TopicFilters() {
    }

    static boolean isValidFilter(String f) {
        if (f == null || f.isEmpty()) {
            return false;
        }
        String[] levels = f.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (l.contains("+") && !l.equals("+")) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String filter, String topic) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            filter = slash < 0 ? "" : filter.substring(slash + 1);
        }
        if (topic.startsWith("$") && !filter.startsWith("$")) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
