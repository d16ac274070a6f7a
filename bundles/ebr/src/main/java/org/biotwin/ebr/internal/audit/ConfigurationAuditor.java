package org.biotwin.ebr.internal.audit;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Audits every change of a suite configuration (PID {@code org.biotwin.*}) made through ConfigurationAdmin, with the
 * old and the new properties (21 CFR 11.10(e), Annex 11 §10 change control). ConfigurationAdmin does not say who made
 * a change, so the actor is {@code system:configadmin}; restricting who may change configuration is the site's
 * access control. Secrets are never written: a value of a property named like a password, secret, token or key, and
 * any password hash, is replaced by a short SHA-256 fingerprint, so that a change is still visible.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfigurationAuditor implements ConfigurationListener {

    private static final Logger LOG = Logger.getLogger(ConfigurationAuditor.class.getName());
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential|apikey|"
            + "privatekey).*");
    private static final Pattern HASH_VALUE = Pattern.compile("PBKDF2With[A-Za-z0-9]+\\$[^|,\\s]+");
    private static final String PREFIX = "org.biotwin.";

    private final AuditTrail trail;
    private final ConfigurationAdmin configAdmin;
    private final Map<String, String> lastSeen = Collections.synchronizedMap(new HashMap<>());
    private volatile boolean active = true;

    @Activate
    public ConfigurationAuditor(@Reference AuditTrail trail, @Reference ConfigurationAdmin configAdmin) {
        this.trail = trail;
        this.configAdmin = configAdmin;
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.pid=" + PREFIX + "*)");
            if (all != null) {
                for (Configuration c : all) {
                    lastSeen.put(c.getPid(), render(c.getProperties()));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warning("Cannot list configurations: " + e.getMessage());
        }
        reconcile();
    }

    /**
     * Compares the configurations now with the last audited values, so that a change made while this bundle was not
     * running (or the first configuration ever seen: a baseline) is still recorded.
     */
    private void reconcile() {
        try {
            for (Map.Entry<String, String> e : new TreeMap<>(lastSeen).entrySet()) {
                String audited = lastAudited(e.getKey());
                if (!e.getValue().equals(audited)) {
                    trail.append(new AuditEvent("system:configadmin", "configuration.update", "configuration",
                            e.getKey(), audited == null ? "Configuration baseline (first seen by the audit trail)"
                                    : "Configuration changed while the auditor was not running", audited,
                            e.getValue()));
                }
            }
            for (String pid : trail.recordIds("configuration")) {
                if (!lastSeen.containsKey(pid) && lastAudited(pid) != null) {
                    trail.append(new AuditEvent("system:configadmin", "configuration.delete", "configuration", pid,
                            "Configuration deleted while the auditor was not running", lastAudited(pid), null));
                }
            }
        } catch (RuntimeException e) {
            LOG.severe("Configuration reconciliation could NOT be audited: " + e.getMessage());
        }
    }

    private @Nullable String lastAudited(String pid) {
        List<org.biotwin.api.audit.AuditEntry> entries = trail.entriesFor("configuration", pid);
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).event().newValue();
    }

    /**
     * ConfigurationAdmin may still deliver events queued before this instance was replaced (for example when the
     * audit trail restarts with a new configuration); the successor reconciles every configuration when it starts,
     * so this one ignores them instead of failing on its released ConfigurationAdmin.
     */
    @Deactivate
    void deactivate() {
        active = false;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (!active || pid == null || !pid.startsWith(PREFIX)) {
            return;
        }
        String old = lastSeen.get(pid);
        try {
            switch (event.getType()) {
                case ConfigurationEvent.CM_UPDATED -> {
                    String now = current(pid);
                    if (now != null && !now.equals(old)) {
                        lastSeen.put(pid, now);
                        trail.append(new AuditEvent("system:configadmin", "configuration.update", "configuration",
                                pid, "Configuration updated through ConfigurationAdmin", old, now));
                    }
                }
                case ConfigurationEvent.CM_DELETED -> {
                    lastSeen.remove(pid);
                    trail.append(new AuditEvent("system:configadmin", "configuration.delete", "configuration", pid,
                            "Configuration deleted through ConfigurationAdmin", old, null));
                }
                default -> {
                    // Location changes do not change behaviour.
                }
            }
        } catch (RuntimeException e) {
            LOG.severe("Configuration change of " + pid + " could NOT be audited: " + e.getMessage());
        }
    }

    private @Nullable String current(String pid) {
        try {
            Configuration[] c = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return c == null || c.length == 0 ? null : render(c[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Properties as sorted {@code key=value} lines, secrets fingerprinted. */
    static String render(@Nullable Dictionary<String, Object> props) {
        TreeMap<String, String> m = new TreeMap<>();
        if (props != null) {
            for (Enumeration<String> k = props.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
                if (key.equals("service.pid") || key.equals("service.bundleLocation")) {
                    continue;
                }
                m.put(key, value(key, props.get(key)));
            }
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String value(String key, Object v) {
        String text;
        if (v instanceof Object[] a) {
            text = List.of(a).toString();
        } else if (v != null && v.getClass().isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
                sb.append(i > 0 ? ", " : "").append(java.lang.reflect.Array.get(v, i));
            }
            text = sb.append(']').toString();
        } else {
            text = String.valueOf(v);
        }
        if (SECRET_KEY.matcher(key).matches()) {
            return fingerprint(text);
        }
        return HASH_VALUE.matcher(text).replaceAll(r -> fingerprint(r.group()));
    }

    private static String fingerprint(String secret) {
        return "<secret sha256:" + AuditCodec.sha256Hex(secret).substring(0, 12) + ">";
    }
}
