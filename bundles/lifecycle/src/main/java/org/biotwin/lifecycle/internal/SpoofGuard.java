package org.biotwin.lifecycle.internal;

import java.util.Collection;
import java.util.Map;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.model.KineticModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Service hooks (OSGi Core, chapter 55) that hide every {@link KineticModel} service which claims
 * {@code biotwin.model.approved} but was not registered by the gate's own bundle, from every bundle except the gate
 * and the system bundle. Without them, a model bundle could put that property on its own service and pass the twins'
 * {@code model.target=(biotwin.model.approved=true)} filter around the gate. The gate itself still sees the service
 * (and quarantines it with the reason). Registered before the gate tracks models, so it also covers services that
 * appear later; a twin that bound such a service before this bundle started is not affected. Stateless, thread-safe.
 */
final class SpoofGuard implements FindHook, EventListenerHook {

    private final long gateBundle;

    SpoofGuard(long gateBundle) {
        this.gateBundle = gateBundle;
    }

    boolean spoofed(ServiceReference<?> ref) {
        if (ref.getProperty(ModelLifecycle.APPROVED) == null) {
            return false;
        }
        Object classes = ref.getProperty(Constants.OBJECTCLASS);
        boolean model = false;
        if (classes instanceof String[] names) {
            for (String n : names) {
                model |= KineticModel.class.getName().equals(n);
            }
        }
        return model && ref.getBundle() != null && ref.getBundle().getBundleId() != gateBundle;
    }

    private boolean exempt(BundleContext ctx) {
        long id = ctx.getBundle().getBundleId();
        return id == gateBundle || id == 0;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (!exempt(context)) {
            references.removeIf(this::spoofed);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (spoofed(event.getServiceReference())) {
            listeners.keySet().removeIf(ctx -> !exempt(ctx));
        }
    }
}
