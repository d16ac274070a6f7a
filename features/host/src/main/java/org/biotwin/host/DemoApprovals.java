package org.biotwin.host;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Demo only: on the first start of the reference host, the two demo QA users approve the validated demo model that
 * the reference deployment dropped into {@code deploy/}, through the approval gate's own service
 * ({@code ModelLifecycle.approve}: re-authentication, roles, audit), so that the demo twins run behind the gate from
 * the start. The signatures are in the audit trail like any other, with a reason that says what they are. A site
 * never sets {@code biotwin.demo.approve}: its QA approves with the Gogo commands, the REST endpoint or the panel.
 * <p>
 * Host properties: {@value #MODELS} = {@code id:version,...} to approve; {@value #APPROVERS} =
 * {@code reviewer:password,approver:password} (two different trusted QA users: the two-person rule).
 */
final class DemoApprovals implements Runnable {

    static final String MODELS = "biotwin.demo.approve";
    static final String APPROVERS = "biotwin.demo.approvers";
    static final String REASON = "Demo host first start: validated demo model approved with the demo QA accounts "
            + "(biotwin.demo.approve; never used at a site)";
    private static final String LIFECYCLE = "org.biotwin.api.lifecycle.ModelLifecycle";
    /**
     * The audit trail once it runs on its configuration: approvals signed on the unconfigured default trail would
     * stay there when the configured one replaces it (FileInstall applies the configuration a moment later).
     */
    private static final String CONFIGURED_TRAIL = "(&(objectClass=org.biotwin.api.audit.AuditTrail)(service.pid=*))";
    private static final long TIMEOUT_MS = 180_000;

    private final BundleContext context;
    private final List<String[]> models = new ArrayList<>();
    private final String[][] approvers;

    DemoApprovals(BundleContext context, String models, String approvers) {
        this.context = context;
        for (String m : models.split(",")) {
            String[] idVersion = m.trim().split(":");
            if (idVersion.length != 2 || idVersion[0].isBlank() || idVersion[1].isBlank()) {
                throw new IllegalArgumentException("Invalid host configuration: " + MODELS + "='" + models
                        + "': expected id:version[,id:version...]");
            }
            this.models.add(idVersion);
        }
        String[] a = approvers.split(",");
        if (a.length != 2 || !a[0].contains(":") || !a[1].contains(":")) {
            throw new IllegalArgumentException("Invalid host configuration: " + APPROVERS
                    + ": expected reviewer:password,approver:password");
        }
        this.approvers = new String[][] {a[0].trim().split(":", 2), a[1].trim().split(":", 2)};
    }

    /** Approves in the background once the gate sees the models; gives up (with a warning) after 180 s. */
    void start() {
        Thread t = new Thread(this, "biotwin-demo-approvals");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        List<String[]> pending = new ArrayList<>(models);
        String last = "the approval gate (" + LIFECYCLE + ") is not running";
        while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
            ServiceReference<?> ref;
            Object gate;
            try {
                // getAllServiceReferences: no class-space check, since the launcher does not import the API
                ServiceReference<?>[] refs = context.getAllServiceReferences(null, CONFIGURED_TRAIL) == null ? null
                        : context.getAllServiceReferences(LIFECYCLE, null);
                ref = refs == null ? null : refs[0];
                gate = ref == null ? null : context.getService(ref);
            } catch (IllegalStateException e) {
                return; // the framework stops
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError("no filter given", e);
            }
            try {
                if (gate != null) {
                    try {
                        pending.removeIf(m -> approve(gate, m));
                    } finally {
                        context.ungetService(ref);
                    }
                }
                if (!pending.isEmpty()) {
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // not yet: for example the signature service does not know the demo users until FileInstall has
                // applied their configuration
                String why = String.valueOf(e.getCause() != null ? e.getCause() : e);
                if (!why.equals(last)) {
                    Log.info("Demo approvals: not yet: " + why);
                }
                last = why;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (!pending.isEmpty()) {
            Log.warn("Demo approvals: " + pending.stream().map(m -> m[0] + ":" + m[1]).toList()
                    + " not approved within 180 s (" + last + "); approve with model:approve in the shell");
        }
    }

    /** Whether the model is approved now (signing what is missing); false while the gate does not list it yet. */
    private boolean approve(Object gate, String[] m) {
        try {
            Class<?> api = Reflect.interfaceNamed(gate.getClass(), LIFECYCLE);
            Object status = find(api.getMethod("models").invoke(gate), m);
            if (status == null) {
                return false;
            }
            if ("APPROVED".equals(String.valueOf(status.getClass().getMethod("status").invoke(status)))) {
                return true;
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> meaning = (Class<Enum>) api.getClassLoader()
                    .loadClass("org.biotwin.api.audit.SignatureMeaning");
            Method approve = api.getMethod("approve", String.class, String.class, meaning, String.class, char[].class,
                    String.class);
            String[] steps = {"REVIEWED", "APPROVED"};
            for (int i = 0; i < 2; i++) {
                try {
                    approve.invoke(gate, m[0], m[1], Enum.valueOf(meaning, steps[i]), approvers[i][0],
                            approvers[i][1].toCharArray(), REASON);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    // already signed by this person (a restart half-way): the gate says what is still missing
                    if (!(e.getCause() instanceof IllegalStateException)) {
                        throw e;
                    }
                }
            }
            Object after = find(api.getMethod("models").invoke(gate), m);
            boolean ok = after != null
                    && "APPROVED".equals(String.valueOf(after.getClass().getMethod("status").invoke(after)));
            if (ok) {
                Log.info("Demo approvals: " + m[0] + ":" + m[1] + " approved by " + approvers[0][0]
                        + " (reviewed) and " + approvers[1][0] + " (approved); the twins bind it through the gate");
            }
            return ok;
        } catch (ReflectiveOperationException e) {
            throw new RuntimeException(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static Object find(Object models, String[] m) throws ReflectiveOperationException {
        for (Object s : (List<?>) models) {
            if (m[0].equals(s.getClass().getMethod("modelId").invoke(s))
                    && m[1].equals(s.getClass().getMethod("version").invoke(s))) {
                return s;
            }
        }
        return null;
    }
}
