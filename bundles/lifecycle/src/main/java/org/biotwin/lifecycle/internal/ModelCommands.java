package org.biotwin.lifecycle.internal;

import java.io.Console;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.lifecycle.SwapRecord;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands for IT and QA staff ({@code model:list}, {@code model:report}, {@code model:approve},
 * {@code model:activate}, {@code model:rollback}, {@code model:history}). Registered with the
 * {@code osgi.command.scope}/{@code osgi.command.function} properties, so the bundle has no Gogo dependency.
 * <p>
 * Passwords: the forms without a password argument read it from the host's console without echo; where the host has
 * no console (a service wrapper, a remote shell), they refuse and the form with the password as an argument must be
 * used (it is then visible in the shell history: prefer a console). Thread-safe (stateless).
 */
@Component(service = ModelCommands.class, property = {"osgi.command.scope=model",
    "osgi.command.function=list", "osgi.command.function=report", "osgi.command.function=approve",
    "osgi.command.function=activate", "osgi.command.function=rollback", "osgi.command.function=history"})
public final class ModelCommands {

    private final ModelLifecycle lifecycle;

    @Activate
    public ModelCommands(@Reference ModelLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** {@code model:list}: every installed model bundle with its gate verdict. */
    public String list() {
        return table(lifecycle.models());
    }

    /** {@code model:list <unit>}: the versions of the unit's model. */
    public String list(String unit) {
        return table(lifecycle.models(unit));
    }

    /** {@code model:report <id> <version>}: the embedded validation report. */
    public String report(String id, String version) {
        return lifecycle.report(id, version).orElse("No installed bundle of " + id + ":" + version
                + " carries a validation report");
    }

    /** {@code model:approve <id> <version> REVIEWED|APPROVED <user> <reason>}, password from the console. */
    public String approve(String id, String version, String meaning, String user, String reason) {
        return approve(id, version, meaning, user, new String(password(user)), reason);
    }

    /** {@code model:approve <id> <version> REVIEWED|APPROVED <user> <password> <reason>}. */
    public String approve(String id, String version, String meaning, String user, String password, String reason) {
        SignatureMeaning m;
        try {
            m = SignatureMeaning.valueOf(meaning.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Meaning must be REVIEWED or APPROVED, not '" + meaning + "'");
        }
        ModelStatus s = lifecycle.approve(id, version, m, user, password.toCharArray(), reason);
        return "Signed " + m + " of " + s.coordinates() + " (sha256 " + s.digest() + ") as " + user + "\n"
                + table(List.of(s));
    }

    /** {@code model:activate <unit> <version> <user> <reason>}, password from the console. */
    public String activate(String unit, String version, String user, String reason) {
        return activate(unit, version, user, new String(password(user)), reason);
    }

    /** {@code model:activate <unit> <version> <user> <password> <reason>}. */
    public String activate(String unit, String version, String user, String password, String reason) {
        return line(lifecycle.activate(unit, version, user, password.toCharArray(), reason));
    }

    /** {@code model:rollback <unit> <user> <reason>}, password from the console. */
    public String rollback(String unit, String user, String reason) {
        return rollback(unit, user, new String(password(user)), reason);
    }

    /** {@code model:rollback <unit> <user> <password> <reason>}. */
    public String rollback(String unit, String user, String password, String reason) {
        return line(lifecycle.rollback(unit, user, password.toCharArray(), reason));
    }

    /** {@code model:history <unit>}: the swap history, oldest first. */
    public String history(String unit) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %-27s %-15s %-24s %-24s %s%n", "seq",
                "time (UTC)", "kind", "from", "to", "by / reason"));
        for (SwapRecord r : lifecycle.history(unit)) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    private static String line(SwapRecord r) {
        return String.format(Locale.ROOT, "%-6d %-27s %-15s %-24s %-24s %s: %s", r.auditSequence(), r.time(),
                r.kind(), r.from(), r.to(), r.actor(), r.reason());
    }

    static String table(List<ModelStatus> models) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s %-9s %-7s %-11s %-8s %-12s %-20s %s%n",
                "model", "version", "bundle", "status", "report", "valid until", "approvals", "digest / reason"));
        for (ModelStatus m : models) {
            StringBuilder who = new StringBuilder();
            for (ElectronicSignature s : m.approvals()) {
                who.append(who.length() == 0 ? "" : ",").append(s.meaning().name().charAt(0)).append(':')
                        .append(s.userId());
            }
            sb.append(String.format(Locale.ROOT, "%-20s %-9s %-7d %-11s %-8s %-12s %-20s %s%n", m.modelId(),
                    m.version(), m.bundleId(), m.status(), dash(m.reportVerdict()), date(m.validUntil()),
                    who.length() == 0 ? "-" : who, m.digest()));
            if (m.reason() != null) {
                sb.append("    quarantined: ").append(m.reason()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String dash(@Nullable String s) {
        return s == null ? "-" : s;
    }

    private static String date(@Nullable Instant i) {
        return i == null ? "-" : i.toString().substring(0, 10);
    }

    private static char[] password(String user) {
        Console c = System.console();
        if (c == null) {
            throw new IllegalStateException("No console to read the password of " + user + " without echo; give the"
                    + " password as an argument instead (see the lifecycle README)");
        }
        char[] pw = c.readPassword("Password for %s: ", user);
        if (pw == null || pw.length == 0) {
            throw new IllegalArgumentException("No password entered for " + user);
        }
        return pw;
    }
}
