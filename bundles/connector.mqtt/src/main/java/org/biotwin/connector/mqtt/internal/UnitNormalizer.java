package org.biotwin.connector.mqtt.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.measure.Unit;
import javax.measure.UnitConverter;
import org.biotwin.api.sample.RejectReason;
import org.jspecify.annotations.Nullable;
import systems.uom.ucum.format.UCUMFormat;

/**
 * Converts values between UCUM units (Unified Code for Units of Measure, https://ucum.org) with Indriya (JSR 385
 * reference implementation) and the UCUM system of units from systems-ucum.
 * <p>
 * Method: both codes are parsed case-sensitively (UCUM c/s); units of different dimension are refused, never
 * converted. The JSR 385 converter of a pair is reduced once to an affine map {@code y = scale * x + offset} (every
 * UCUM conversion between the units a bioprocess uses is affine: ratios, prefixes, and the offset scales Cel, [degF],
 * K), so converting a value costs one multiply-add. A converter that is not affine falls back to JSR 385 per value.
 * <p>
 * Accepted spellings besides UCUM: a small alias table for what PLC gateways commonly send ({@code degC}, {@code °C},
 * {@code degF}, {@code °F}, {@code psi}, {@code pH}, {@code rpm}); see {@link #ALIASES}.
 * <p>
 * Thread-safe: parsed units and converters are cached in concurrent maps (bounded by the number of distinct codes
 * seen; unknown codes are not cached).
 */
public final class UnitNormalizer {

    /** Common non-UCUM spellings and their UCUM codes. */
    static final Map<String, String> ALIASES = Map.of(
            "degC", "Cel", "°C", "Cel", "degF", "[degF]", "°F", "[degF]", "psi", "[psi]",
            "pH", "[pH]", "rpm", "{rpm}/min", "RPM", "{rpm}/min", "percent", "%");

    /** {@code 10*n} (or {@code 10^n}) followed by the rest of a UCUM code. */
    private static final java.util.regex.Pattern TEN_POWER = java.util.regex.Pattern.compile("10[*^]([+-]?\\d+)(.*)");

    private final UCUMFormat format;
    private final Map<String, Unit<?>> units = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Affine>> converters = new ConcurrentHashMap<>();

    /** A conversion {@code y = scale * x + offset}, or the JSR 385 converter when not affine. */
    record Affine(double scale, double offset, @Nullable UnitConverter exact) {
        double apply(double x) {
            return exact != null ? exact.convert(x) : scale * x + offset;
        }
    }

    public UnitNormalizer() {
        // Indriya's SymbolMap logs a harmless "SEVERE: Error ... NoSuchFieldException: DEKA" while systems-ucum 2.1
        // builds its symbol table (a prefix name mismatch between the two libraries); keep it out of plant logs.
        java.util.logging.Logger symbolMap = java.util.logging.Logger.getLogger("tech.units.indriya.format.SymbolMap");
        java.util.logging.Level before = symbolMap.getLevel();
        symbolMap.setLevel(java.util.logging.Level.OFF);
        try {
            format = withOwnLoader(() -> UCUMFormat.getInstance(UCUMFormat.Variant.CASE_SENSITIVE));
        } finally {
            symbolMap.setLevel(before);
        }
    }

    /** Whether the code is a UCUM unit (or a known alias). */
    public boolean isKnown(String code) {
        return parse(code) != null;
    }

    /**
     * Converts a value to the declared unit.
     *
     * @throws RejectException UNKNOWN_UOM or UOM_MISMATCH
     */
    public double convert(double value, String fromCode, String toCode) throws RejectException {
        if (fromCode.equals(toCode)) {
            return value;
        }
        // Two-level lookup: no key string is built per value (this runs for every sample).
        Map<String, Affine> to = converters.computeIfAbsent(toCode, k -> new ConcurrentHashMap<>());
        Affine a = to.get(fromCode);
        if (a == null) {
            a = build(fromCode, toCode);
            to.put(fromCode, a);
        }
        return a.apply(value);
    }

    private Affine build(String fromCode, String toCode) throws RejectException {
        Unit<?> from = parse(fromCode);
        if (from == null) {
            throw new RejectException(RejectReason.UNKNOWN_UOM, "'" + fromCode + "' is not a UCUM unit");
        }
        Unit<?> to = parse(toCode);
        if (to == null) {
            throw new RejectException(RejectReason.UNKNOWN_UOM, "declared unit '" + toCode + "' is not a UCUM unit");
        }
        if (!from.isCompatible(to)) {
            throw new RejectException(RejectReason.UOM_MISMATCH,
                    "'" + fromCode + "' (" + from.getDimension() + ") cannot be converted to the declared unit '"
                            + toCode + "' (" + to.getDimension() + ")");
        }
        UnitConverter c;
        try {
            c = withOwnLoader(() -> {
                try {
                    return from.getConverterToAny(to);
                } catch (javax.measure.IncommensurableException | javax.measure.UnconvertibleException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (IllegalStateException e) {
            throw new RejectException(RejectReason.UOM_MISMATCH,
                    "'" + fromCode + "' cannot be converted to the declared unit '" + toCode + "': " + e.getMessage());
        }
        double offset = c.convert(0.0);
        double scale = c.convert(1.0) - offset;
        boolean affine = Math.abs(c.convert(1000.0) - (scale * 1000.0 + offset)) <= 1e-9 * Math.max(1, Math.abs(c.convert(1000.0)))
                && Math.abs(c.convert(-37.5) - (scale * -37.5 + offset)) <= 1e-9 * Math.max(1, Math.abs(c.convert(-37.5)));
        return affine ? new Affine(scale, offset, null) : new Affine(Double.NaN, Double.NaN, c);
    }

    private @Nullable Unit<?> parse(String code) {
        Unit<?> u = units.get(code);
        if (u != null) {
            return u;
        }
        String ucum = ALIASES.getOrDefault(code, code);
        if (ucum.isBlank()) {
            return null;
        }
        try {
            java.util.regex.Matcher power = TEN_POWER.matcher(ucum);
            if (power.matches()) {
                // UCUM's 10*n factor (cell densities: 10*6{cells}/mL) is beyond systems-ucum's parser: apply it here
                double factor = Math.pow(10, Integer.parseInt(power.group(1)));
                String rest = power.group(2);
                Unit<?> base = rest.isEmpty() || rest.startsWith("{") && rest.endsWith("}")
                        ? tech.units.indriya.AbstractUnit.ONE
                        : withOwnLoader(() -> format.parse(rest.startsWith("{") ? "1" + stripAnnotation(rest) : rest));
                u = base.multiply(factor);
            } else {
                u = withOwnLoader(() -> format.parse(ucum));
            }
        } catch (RuntimeException e) { // the parser throws several unchecked types for bad input
            return null;
        }
        if (u != null) {
            units.put(code, u);
        }
        return u;
    }

    /** {@code {cells}/mL} -> {@code /mL}: an annotation is dimensionless. */
    private static String stripAnnotation(String code) {
        return code.replaceFirst("^\\{[^}]*\\}", "");
    }

    /** Indriya uses ServiceLoader through the context class loader; inside OSGi make that our bundle's loader. */
    private static <T> T withOwnLoader(java.util.function.Supplier<T> s) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(UnitNormalizer.class.getClassLoader());
        try {
            return s.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
