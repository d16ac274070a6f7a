package org.biotwin.engine.internal;

import java.util.HashMap;
import java.util.Map;
import org.biotwin.api.estimation.RespirationSettings;

/**
 * Which plant tags carry the raw off-gas analysis, and the inlet gas, for OUR and CER by the inert-gas balance.
 * Immutable.
 *
 * @param o2Tag       exhaust O2 mole fraction tag (dry)
 * @param co2Tag      exhaust CO2 mole fraction tag (dry)
 * @param airTag      inlet air flow tag, NL/min
 * @param inletO2     inlet O2 mole fraction (air 0.2095)
 * @param inletCO2    inlet CO2 mole fraction (air 0.0004)
 * @param molarVolume L/mol at the flow meter's normal conditions
 * @param relativeSd  relative standard deviation of the derived OUR and CER
 */
record OffGasSpec(String o2Tag, String co2Tag, String airTag, double inletO2, double inletCO2, double molarVolume,
        double relativeSd) {

    static OffGasSpec parse(String text) {
        Map<String, String> kv = new HashMap<>();
        for (String part : text.split(";")) {
            String[] p = part.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("'" + part + "' is not key=value");
            }
            kv.put(p[0].trim(), p[1].trim());
        }
        for (String required : new String[] {"o2", "co2", "air"}) {
            if (!kv.containsKey(required)) {
                throw new IllegalArgumentException("missing '" + required + "=<tag>'");
            }
        }
        return new OffGasSpec(kv.get("o2"), kv.get("co2"), kv.get("air"), number(kv, "o2in", 0.2095),
                number(kv, "co2in", 0.0004), number(kv, "molarVolume", RespirationSettings.NORMAL_MOLAR_VOLUME),
                number(kv, "rel", 0.03));
    }

    private static double number(Map<String, String> kv, String key, double def) {
        String v = kv.get(key);
        if (v == null) {
            return def;
        }
        double d = Double.parseDouble(v);
        if (!(d > 0) || !Double.isFinite(d)) {
            throw new IllegalArgumentException("'" + key + "' must be finite and > 0, was " + v);
        }
        return d;
    }

    boolean isOffGasTag(String tag) {
        return tag.equals(o2Tag) || tag.equals(co2Tag) || tag.equals(airTag);
    }
}
