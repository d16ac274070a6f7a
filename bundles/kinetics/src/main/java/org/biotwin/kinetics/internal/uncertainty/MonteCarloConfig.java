package org.biotwin.kinetics.internal.uncertainty;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Monte Carlo uncertainty propagator. */
@ObjectClassDefinition(name = "BioTwin Monte Carlo uncertainty propagation",
        description = "Parallel, seeded Monte Carlo propagation of parameter and initial-state uncertainty.")
public @interface MonteCarloConfig {

    @AttributeDefinition(name = "Worker threads", description = "Threads of the ensemble pool; 0 means one per "
            + "available processor. The pool is created on activation and shut down on deactivation.", min = "0",
            max = "256")
    int threads() default 0;
}
