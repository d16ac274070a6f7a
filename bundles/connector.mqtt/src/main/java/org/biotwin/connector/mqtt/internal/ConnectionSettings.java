package org.biotwin.connector.mqtt.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The typed, checked configuration of one connection, parsed once from ConfigAdmin properties (see
 * {@link ConnectorConfig} for the meaning of each). Every problem is reported as an
 * {@link IllegalArgumentException} naming the property. Secrets are masked in {@link #toString()}. Immutable.
 */
public final class ConnectionSettings {

    public static final String FACTORY_PID = "org.biotwin.connector.mqtt";
    public static final long DEFAULT_SESSION_EXPIRY_S = 7L * 24 * 3600;
    public static final int DEFAULT_KEEPALIVE_S = 30;
    public static final int DEFAULT_CONNECT_TIMEOUT_S = 10;
    public static final long DEFAULT_RECONNECT_MIN_MS = 500;
    public static final long DEFAULT_RECONNECT_MAX_MS = 30_000;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 1000;
    public static final String DEFAULT_DEADLETTER_TOPIC = "biotwin/deadletter";
    public static final long DEFAULT_STORE_MAX_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_PAYLOAD_MAX_BYTES = 256 * 1024;
    public static final long DEFAULT_MAX_FUTURE_S = 300;
    public static final long DEFAULT_MAX_AGE_S = 7L * 24 * 3600;
    public static final int DEFAULT_DEDUP_WINDOW = 200_000;
    public static final int DEFAULT_LISTENER_QUEUE = 20_000;
    public static final long DEFAULT_HANDLER_GRACE_S = 10;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern ID = Pattern.compile("[^/+#\\s]+");

    final String name;
    final String brokerUri;
    final String clientId;
    final String username;
    final char[] password;
    final @Nullable Path trustStore;
    final char[] trustStorePassword;
    final String trustStoreType;
    final @Nullable Path keyStore;
    final char[] keyStorePassword;
    final String keyStoreType;
    final long sessionExpirySeconds;
    final int keepAliveSeconds;
    final int connectTimeoutSeconds;
    final long reconnectMinMillis;
    final long reconnectMaxMillis;
    final int receiveMaximum;
    final String sharedGroup;
    final TagCatalog catalog;
    final List<TopicPattern> patterns;
    final Map<String, TagRef> mappings;
    final String deadLetterTopic;
    final @Nullable Path storeDir;
    final long storeMaxBytes;
    final int payloadMaxBytes;
    final long maxFutureSeconds;
    final long maxAgeSeconds;
    final int dedupWindow;
    final int listenerQueueCapacity;
    final boolean requireListener;
    final long handlerGraceMillis;

    /** A declared tag with its UCUM unit, as written in the configuration. */
    public record TagRef(String unit, String tag, String uom) {
    }

    private ConnectionSettings(Map<String, ?> p, @Nullable Path defaultStoreParent, UnitNormalizer units) {
        name = text(p, "name", "plant");
        if (!NAME.matcher(name).matches()) {
            throw bad("name", "'" + name + "' may contain only letters, digits, '-', '_' and '.'");
        }
        brokerUri = required(p, "broker.uri");
        URI uri;
        try {
            uri = new URI(brokerUri);
        } catch (Exception e) {
            throw bad("broker.uri", "'" + brokerUri + "' is not a URI: " + e.getMessage());
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null) {
            throw bad("broker.uri", "'" + brokerUri + "' must be tcp://host:port or ssl://host:port");
        }
        clientId = required(p, "client.id");
        if (clientId.length() > 65535) {
            throw bad("client.id", "is too long");
        }
        username = text(p, "username", "");
        password = text(p, ".password", "").toCharArray();
        trustStore = optionalFile(p, "tls.truststore.path");
        trustStorePassword = text(p, ".tls.truststore.password", "").toCharArray();
        trustStoreType = text(p, "tls.truststore.type", "PKCS12");
        keyStore = optionalFile(p, "tls.keystore.path");
        keyStorePassword = text(p, ".tls.keystore.password", "").toCharArray();
        keyStoreType = text(p, "tls.keystore.type", "PKCS12");
        if ((trustStore != null || keyStore != null) && !"ssl".equals(uri.getScheme())) {
            throw bad("broker.uri", "TLS stores are configured but the URI is not ssl://");
        }
        sessionExpirySeconds = number(p, "session.expiry.s", DEFAULT_SESSION_EXPIRY_S, 1, 0xFFFF_FFFFL);
        keepAliveSeconds = (int) number(p, "keepalive.s", DEFAULT_KEEPALIVE_S, 1, 65535);
        connectTimeoutSeconds = (int) number(p, "connect.timeout.s", DEFAULT_CONNECT_TIMEOUT_S, 1, 3600);
        reconnectMinMillis = number(p, "reconnect.min.ms", DEFAULT_RECONNECT_MIN_MS, 10, 3_600_000);
        reconnectMaxMillis = number(p, "reconnect.max.ms", DEFAULT_RECONNECT_MAX_MS, reconnectMinMillis, 3_600_000);
        receiveMaximum = (int) number(p, "receive.maximum", DEFAULT_RECEIVE_MAXIMUM, 1, 65535);
        sharedGroup = text(p, "shared.group", "");
        if (!sharedGroup.isEmpty() && !ID.matcher(sharedGroup).matches()) {
            throw bad("shared.group", "'" + sharedGroup + "' must not contain '/', '+', '#' or spaces");
        }
        deadLetterTopic = text(p, "deadletter.topic", DEFAULT_DEADLETTER_TOPIC);
        if (deadLetterTopic.isEmpty() || deadLetterTopic.contains("+") || deadLetterTopic.contains("#")) {
            throw bad("deadletter.topic", "must be a topic name without wildcards");
        }
        String dir = text(p, "store.dir", "");
        storeDir = !dir.isEmpty() ? Path.of(dir) : defaultStoreParent == null ? null : defaultStoreParent.resolve(name);
        if (storeDir == null) {
            throw bad("store.dir", "is required when the bundle has no data area");
        }
        storeMaxBytes = number(p, "store.max.bytes", DEFAULT_STORE_MAX_BYTES, 4096, Long.MAX_VALUE);
        payloadMaxBytes = (int) number(p, "payload.max.bytes", DEFAULT_PAYLOAD_MAX_BYTES, 16, 256 * 1024 * 1024);
        maxFutureSeconds = number(p, "timestamp.max.future.s", DEFAULT_MAX_FUTURE_S, 0, 365L * 24 * 3600);
        maxAgeSeconds = number(p, "timestamp.max.age.s", DEFAULT_MAX_AGE_S, 1, 100L * 365 * 24 * 3600);
        dedupWindow = (int) number(p, "dedup.window", DEFAULT_DEDUP_WINDOW, 0, 50_000_000);
        listenerQueueCapacity = (int) number(p, "listener.queue.capacity", DEFAULT_LISTENER_QUEUE, 1, 50_000_000);
        requireListener = bool(p, "require.listener", true);
        handlerGraceMillis = number(p, "handler.grace.s", DEFAULT_HANDLER_GRACE_S, 0, 3600) * 1000;

        // Units, tags and topics.
        List<String> unitIds = list(p, "units", null);
        if (unitIds.isEmpty()) {
            throw bad("units", "at least one ISA-88 unit is required");
        }
        for (String u : unitIds) {
            if (!ID.matcher(u).matches()) {
                throw bad("units", "'" + u + "' must not contain '/', '+', '#' or spaces");
            }
        }
        Map<String, Map<String, String>> declared = new LinkedHashMap<>();
        unitIds.forEach(u -> declared.put(u, new LinkedHashMap<>()));
        List<String> tagEntries = list(p, "tags", List.of());
        List<String[]> perUnit = new ArrayList<>();
        for (String entry : tagEntries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw bad("tags", "'" + entry + "' must be TAG=UOM or UNIT/TAG=UOM");
            }
            String left = entry.substring(0, eq).trim();
            String uom = entry.substring(eq + 1).trim();
            checkUom(units, "tags", uom, entry);
            int slash = left.indexOf('/');
            if (slash < 0) {
                checkId("tags", left, entry);
                declared.values().forEach(m -> m.put(left, uom));
            } else {
                perUnit.add(new String[] {left.substring(0, slash), left.substring(slash + 1), uom, entry});
            }
        }
        for (String[] e : perUnit) { // unit-specific entries override the all-units ones, whatever the order
            Map<String, String> m = declared.get(e[0]);
            if (m == null) {
                throw bad("tags", "'" + e[3] + "' names unit '" + e[0] + "', which is not in 'units'");
            }
            checkId("tags", e[1], e[3]);
            m.put(e[1], e[2]);
        }
        Map<String, TagRef> maps = new LinkedHashMap<>();
        for (String entry : list(p, "topic.mappings", List.of())) {
            int eq = entry.lastIndexOf('=');
            String[] parts = eq > 0 ? entry.substring(eq + 1).split("/", 3) : new String[0];
            if (parts.length != 3) {
                throw bad("topic.mappings", "'" + entry + "' must be TOPIC=UNIT/TAG/UOM");
            }
            String topic = entry.substring(0, eq).trim();
            if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
                throw bad("topic.mappings", "'" + entry + "': the topic must be a topic name without wildcards");
            }
            TagRef ref = new TagRef(parts[0].trim(), parts[1].trim(), parts[2].trim());
            Map<String, String> m = declared.get(ref.unit());
            if (m == null) {
                throw bad("topic.mappings", "'" + entry + "' names unit '" + ref.unit() + "', which is not in 'units'");
            }
            checkId("topic.mappings", ref.tag(), entry);
            checkUom(units, "topic.mappings", ref.uom(), entry);
            String before = m.putIfAbsent(ref.tag(), ref.uom());
            if (before != null && !before.equals(ref.uom())) {
                throw bad("topic.mappings", "'" + entry + "' declares " + ref.unit() + "/" + ref.tag() + " in "
                        + ref.uom() + " but 'tags' declares it in " + before);
            }
            maps.put(topic, ref);
        }
        mappings = Map.copyOf(maps);
        List<TopicPattern> pats = new ArrayList<>();
        for (String s : list(p, "topic.patterns", List.of("plant/{unit}/{tag}", "plant/{unit}"))) {
            try {
                pats.add(TopicPattern.parse(s));
            } catch (IllegalArgumentException e) {
                throw bad("topic.patterns", e.getMessage());
            }
        }
        if (pats.isEmpty() && mappings.isEmpty()) {
            throw bad("topic.patterns", "neither topic patterns nor topic mappings are configured: nothing to subscribe");
        }
        patterns = List.copyOf(pats);
        catalog = new TagCatalog(declared);
        if (catalog.tagCount() == 0) {
            throw bad("tags", "no tag is declared");
        }
    }

    /**
     * Parses and checks ConfigAdmin properties.
     *
     * @param defaultStoreParent parent of the store directory when {@code store.dir} is empty (the bundle data area)
     * @throws IllegalArgumentException naming the first bad property
     */
    public static ConnectionSettings parse(Map<String, ?> properties, @Nullable Path defaultStoreParent,
            UnitNormalizer units) {
        return new ConnectionSettings(properties, defaultStoreParent, units);
    }

    /** Subscription filters for the sample topics, with the shared-subscription prefix when configured. */
    List<String> sampleFilters() {
        Set<String> f = new LinkedHashSet<>();
        patterns.forEach(tp -> f.add(tp.filter()));
        f.addAll(mappings.keySet());
        List<String> out = new ArrayList<>();
        for (String s : f) {
            out.add(sharedGroup.isEmpty() ? s : "$share/" + sharedGroup + "/" + s);
        }
        return out;
    }

    private static void checkUom(UnitNormalizer units, String property, String uom, String entry) {
        if (!units.isKnown(uom)) {
            throw bad(property, "'" + entry + "': '" + uom + "' is not a UCUM unit");
        }
    }

    private static void checkId(String property, String id, String entry) {
        if (id.isEmpty() || !ID.matcher(id).matches()) {
            throw bad(property, "'" + entry + "': '" + id + "' must be non-empty without '/', '+', '#' or spaces");
        }
    }

    static IllegalArgumentException bad(String property, String what) {
        return new IllegalArgumentException("MQTT connection configuration property '" + property + "': " + what);
    }

    private static String required(Map<String, ?> p, String key) {
        String v = text(p, key, "");
        if (v.isEmpty()) {
            throw bad(key, "is required");
        }
        return v;
    }

    private static String text(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String s) {
            return s.trim();
        }
        if (v instanceof char[] c) {
            return new String(c);
        }
        throw bad(key, "must be a string, not " + v.getClass().getSimpleName());
    }

    private static long number(Map<String, ?> p, String key, long def, long min, long max) {
        Object v = p.get(key);
        long n;
        if (v == null || v instanceof String s && s.isBlank()) {
            n = def;
        } else if (v instanceof Number num) {
            n = num.longValue();
        } else if (v instanceof String s) {
            try {
                n = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw bad(key, "'" + s + "' is not an integer");
            }
        } else {
            throw bad(key, "must be an integer, not " + v.getClass().getSimpleName());
        }
        if (n < min || n > max) {
            throw bad(key, n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw bad(key, "must be true or false, not '" + v + "'");
    }

    private static List<String> list(Map<String, ?> p, String key, @Nullable List<String> def) {
        Object v = p.get(key);
        if (v == null) {
            if (def == null) {
                throw bad(key, "is required");
            }
            return def;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            Arrays.stream(s.split(",")).forEach(out::add);
        } else if (v instanceof String[] a) {
            out.addAll(Arrays.asList(a));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else {
            throw bad(key, "must be a string or a list of strings");
        }
        return out.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static @Nullable Path optionalFile(Map<String, ?> p, String key) {
        String s = text(p, key, "");
        if (s.isEmpty()) {
            return null;
        }
        Path path = Path.of(s);
        if (!Files.isReadable(path)) {
            throw bad(key, "'" + s + "' is not a readable file");
        }
        return path;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[name=" + name + ", broker.uri=" + brokerUri + ", client.id=" + clientId
                + ", username=" + username + ", .password=" + mask(password)
                + ", tls.truststore.path=" + trustStore + ", .tls.truststore.password=" + mask(trustStorePassword)
                + ", tls.keystore.path=" + keyStore + ", .tls.keystore.password=" + mask(keyStorePassword)
                + ", session.expiry.s=" + sessionExpirySeconds + ", keepalive.s=" + keepAliveSeconds
                + ", reconnect.ms=" + reconnectMinMillis + ".." + reconnectMaxMillis
                + ", receive.maximum=" + receiveMaximum + ", shared.group=" + sharedGroup
                + ", units=" + catalog.units() + ", tags=" + catalog.tagCount() + ", patterns=" + patterns
                + ", mappings=" + mappings.size() + ", deadletter.topic=" + deadLetterTopic
                + ", store.dir=" + storeDir + ", store.max.bytes=" + storeMaxBytes
                + ", handler.grace.s=" + handlerGraceMillis / 1000 + "]";
    }

    private static String mask(char[] secret) {
        return secret.length == 0 ? "" : "********";
    }
}
