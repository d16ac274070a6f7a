package org.biotwin.plant.sim.internal;

/**
 * Setpoints of the plant's own control loops, accepted besides the model's inputs: the model has no temperature,
 * pH or DO dynamics (the CHO model), so these loops are simulated by the plant. If a model declares an input with the
 * same name, the model's bounds apply and the value also goes to the model.
 */
final class PlantSetpoints {

    /** DO setpoint, % air saturation. */
    static final String DO_SET = "DO_set";
    /** Temperature setpoint, Cel. */
    static final String T_SET = "T_set";
    /** pH setpoint. */
    static final String PH_SET = "pH_set";

    /** Range of the temperature loop, Cel (mammalian and microbial cultures run within it). */
    static final double T_MIN = 20;
    static final double T_MAX = 45;
    /** Range of the pH loop. */
    static final double PH_MIN = 5;
    static final double PH_MAX = 8.5;
    /** Range of the DO loop, % air saturation. */
    static final double DO_MIN = 0;
    static final double DO_MAX = 100;

    private PlantSetpoints() {
    }

    static boolean isPlantSetpoint(String name) {
        return name.equals(DO_SET) || name.equals(T_SET) || name.equals(PH_SET);
    }

    static double min(String name) {
        return switch (name) {
            case DO_SET -> DO_MIN;
            case T_SET -> T_MIN;
            default -> PH_MIN;
        };
    }

    static double max(String name) {
        return switch (name) {
            case DO_SET -> DO_MAX;
            case T_SET -> T_MAX;
            default -> PH_MAX;
        };
    }

    static String uom(String name) {
        return switch (name) {
            case DO_SET -> "%";
            case T_SET -> "Cel";
            default -> "[pH]";
        };
    }
}
