package org.biotwin.advisory.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The advisory policy of one unit, one per factory configuration {@value AdvisoryPolicy#PID}. Registered under its
 * own (bundle-private) class so that only this bundle's advisor sees it.
 */
@Component(configurationPid = AdvisoryPolicy.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = AdvisoryPolicyComponent.class)
@Designate(ocd = AdvisoryPolicyConfiguration.class, factory = true)
public final class AdvisoryPolicyComponent {

    private final AdvisoryPolicy policy;

    @Activate
    public AdvisoryPolicyComponent(AdvisoryPolicyConfiguration config) {
        this.policy = AdvisoryPolicy.from(config);
    }

    AdvisoryPolicy policy() {
        return policy;
    }
}
