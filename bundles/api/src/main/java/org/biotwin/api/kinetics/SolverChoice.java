package org.biotwin.api.kinetics;

/** Which integrator the simulator uses. */
public enum SolverChoice {
    /** Start non-stiff; switch to the stiff integrator when stiffness is detected. */
    AUTO,
    /** An explicit adaptive Runge-Kutta method (Dormand-Prince 8(5,3)). */
    NON_STIFF,
    /** An L-stable linearly implicit (Rosenbrock) method with a Jacobian. */
    STIFF
}
