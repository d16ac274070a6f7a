package org.biotwin.models.monod.internal;

import org.biotwin.api.model.KineticModel;

/**
 * Classical fixed-step fourth-order Runge-Kutta, written here so that the model is checked by an integrator that
 * shares no code with the suite's kinetic core. Global error O(h^4); for test use only.
 */
final class Rk4 {
    private Rk4() {
    }

    static double[] integrate(KineticModel model, double[] y0, double[] p, double[] u, double tEnd, double h) {
        int n = y0.length;
        int steps = (int) Math.round(tEnd / h);
        double[] y = y0.clone(), k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n];
        double[] tmp = new double[n];
        double t = 0;
        for (int step = 0; step < steps; step++) {
            model.derivatives(t, y, p, u, k1);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
            model.derivatives(t + 0.5 * h, tmp, p, u, k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
            model.derivatives(t + 0.5 * h, tmp, p, u, k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
            model.derivatives(t + h, tmp, p, u, k4);
            for (int i = 0; i < n; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            t = (step + 1) * h;
        }
        return y;
    }
}
